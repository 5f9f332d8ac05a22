import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describeSettings } from '@app/config';

describe("the README's configuration table", () => {
  it('documents every setting', () => {
    // Throws when a validated variable has no @Setting description.
    expect(describeSettings().map((setting) => setting.name)).toContain('DATABASE_URL');
  });

  it('matches the settings (run `npm run docs:config` when this fails)', () => {
    // A child process: Prettier 3 loads its formatters by dynamic import, which Jest's CommonJS runtime cannot.
    const script = path.join(__dirname, 'config-table.ts');
    expect(() =>
      execFileSync(process.execPath, [require.resolve('tsx/cli'), script, '--check'], { stdio: 'pipe' }),
    ).not.toThrow();
  });
});
