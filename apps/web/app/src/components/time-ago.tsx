const units: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];
let formats: { relative: Intl.RelativeTimeFormat; absolute: Intl.DateTimeFormat } | undefined;

export function TimeAgo({ iso }: { iso: string }) {
  formats ??= {
    relative: new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'short' }),
    absolute: new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }),
  };
  const { relative, absolute } = formats;
  const date = new Date(iso);
  const seconds = (date.getTime() - Date.now()) / 1000;
  const [unit, size] = units.find(([, s]) => Math.abs(seconds) >= s) ?? ['second', 1];
  const text = Math.abs(seconds) < 45 ? 'just now' : relative.format(Math.round(seconds / size), unit);
  return (
    <time dateTime={iso} title={absolute.format(date)}>
      {text}
    </time>
  );
}
