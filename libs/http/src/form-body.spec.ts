import { normalizeForm } from './form-body';

describe('normalizeForm', () => {
  it('turns key[] fields into arrays and keeps plain fields as strings', () => {
    expect(
      normalizeForm({ status: 'hello', 'id[]': ['1', '2'], scope: ['read', 'write'], 'one[]': 'x' }),
    ).toEqual({ status: 'hello', id: ['1', '2'], scope: ['read', 'write'], one: ['x'] });
  });

  it('drops keys that would reach Object.prototype', () => {
    const form = normalizeForm(JSON.parse('{"__proto__":"x","constructor":"y","a":"1"}'));
    expect(form).toEqual({ a: '1' });
    expect(Object.getPrototypeOf(form)).toBe(Object.prototype);
  });
});
