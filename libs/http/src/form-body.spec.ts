import { normalizeForm, parseMultipartFields } from './form-body';

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

describe('parseMultipartFields', () => {
  const multipart = async (data: FormData) => {
    const request = new Request('http://x/', { method: 'POST', body: data });
    return { body: Buffer.from(await request.arrayBuffer()), type: request.headers.get('content-type')! };
  };

  it('reads text fields, repeated ones as lists', async () => {
    const data = new FormData();
    data.append('grant_type', 'client_credentials');
    data.append('scope', 'read');
    data.append('id[]', '1');
    data.append('id[]', '2');
    const { body, type } = await multipart(data);
    expect(normalizeForm(await parseMultipartFields(body, type))).toEqual({
      grant_type: 'client_credentials',
      scope: 'read',
      id: ['1', '2'],
    });
  });

  it('refuses files and garbage', async () => {
    const data = new FormData();
    data.append('file', new Blob(['x']), 'x.txt');
    const { body, type } = await multipart(data);
    await expect(parseMultipartFields(body, type)).rejects.toMatchObject({ statusCode: 422 });
    await expect(
      parseMultipartFields(Buffer.from('nonsense'), 'multipart/form-data; boundary=zz'),
    ).rejects.toMatchObject({
      statusCode: 400,
    });
  });
});
