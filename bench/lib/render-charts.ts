/**
 * Draws vega-lite specs (a JSON object name -> spec on stdin) and prints
 * name -> { svg, png (base64, 2x) } as JSON: SVG by vega, PNG by resvg.
 */
import fs from 'node:fs';
import { Resvg } from '@resvg/resvg-js';

/** By name: vega-lite's types need the 'node16' module resolution; only compile() is used. */
const VEGA_LITE: string = 'vega-lite';

async function main(): Promise<void> {
  const vega = await import('vega');
  const vegaLite = (await import(VEGA_LITE)) as {
    compile(spec: object): { spec: Parameters<typeof vega.parse>[0] };
  };
  const specs = JSON.parse(fs.readFileSync(0, 'utf8')) as Record<string, object>;
  const drawn: Record<string, { svg: string; png: string }> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const compiled = vegaLite.compile({ background: 'white', padding: 8, ...spec }).spec;
    const view = new vega.View(vega.parse(compiled), {
      renderer: 'none',
    });
    const svg = await view.toSVG();
    view.finalize();
    const png = new Resvg(svg, { fitTo: { mode: 'zoom', value: 2 }, font: { loadSystemFonts: true } })
      .render()
      .asPng();
    drawn[name] = { svg, png: png.toString('base64') };
  }
  process.stdout.write(JSON.stringify(drawn));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
