import { IdentifyingValues, mentionPatterns } from './staff-mentions';

/** PostgreSQL's word boundaries (\m, \M) in JavaScript's terms, to try the pattern here. */
const inJavaScript = (pattern: string) =>
  new RegExp(pattern.replace(/\\m/g, '(?<![\\p{L}\\p{N}_])').replace(/\\M/g, '(?![\\p{L}\\p{N}_])'), 'giu');
const matches = (patterns: string[], text: string) => patterns.some((pattern) => inJavaScript(pattern).test(text));
/** As the eraser applies them: pattern by pattern. */
const redacted = (patterns: string[], text: string) => patterns.reduce((out, pattern) => out.replace(inJavaScript(pattern), '[erased]'), text);

describe(mentionPatterns.name, () => {
  it('finds the name, the email and the phone, whatever their case', () => {
    const pattern = mentionPatterns([{ fullName: 'Åsa Öberg', email: 'asa@example.com', phone: '+46 70 123 45 67' }]);
    expect(matches(pattern, 'Feedback owed to ÅSA ÖBERG today')).toBe(true);
    expect(matches(pattern, 'write to ASA@example.com')).toBe(true);
    expect(matches(pattern, 'call +46 70 123 45 67')).toBe(true);
    expect(matches(pattern, 'Åsa Berg')).toBe(false);
  });

  it('also finds the HTML-escaped name, and treats every character literally', () => {
    const pattern = mentionPatterns([{ fullName: "Seán O'Brien (Jr.)", email: 'a.b+c@x.io', phone: null }]);
    expect(matches(pattern, '<strong>Seán O&#x27;Brien (Jr.)</strong>')).toBe(true);
    expect(matches(pattern, "Seán O'Brien (Jr.)")).toBe(true);
    expect(matches(pattern, 'Seán OXBrien')).toBe(false);
    expect(matches(pattern, 'aXb+c@x.io')).toBe(false);
    expect(matches(pattern, 'a.b+c@x.io')).toBe(true);
  });

  it('matches whole words only, so a short name leaves longer words alone', () => {
    const pattern = mentionPatterns([{ fullName: 'Al', email: 'al@x.se', phone: null }]);
    expect(matches(pattern, 'Alice Berg (Final interview)')).toBe(false);
    expect(matches(pattern, 'Feedback owed to Al today')).toBe(true);
    // A name starting with a letter outside ASCII is found however the database's locale classes it.
    expect(matches(mentionPatterns([{ fullName: 'Åsa Öberg', email: 'x@y.se', phone: null }]), 'to Åsa Öberg:')).toBe(true);
  });

  it('finds an address whole, not inside a longer one', () => {
    const pattern = mentionPatterns([{ fullName: 'Xi', email: 'x@example.com', phone: null }]);
    for (const other of ['x@example.com.au', 'a.x@example.com', 'ax+x@example.com', 'x@example.com-mail.se']) expect(matches(pattern, `to ${other} today`)).toBe(false);
    for (const text of ['to x@example.com.', '<X@EXAMPLE.COM>', '(x@example.com)', 'x@example.com, y@z.se']) expect(matches(pattern, text)).toBe(true);
  });

  it('puts longer values first and skips numbers too short to be a phone', () => {
    expect(mentionPatterns([{ fullName: 'Li', email: 'li@x.se', phone: '112' }]))
      .toEqual(['(?<![A-Za-z0-9._%+-])li@x\\.se(?![A-Za-z0-9_-]|\\.[A-Za-z0-9])|\\mLi\\M']);
    expect(mentionPatterns([])).toEqual([]);
  });

  it('splits a large batch into at most 20 patterns, longest values first across them, and redacts the longer name whole', () => {
    const people: IdentifyingValues[] = Array.from({ length: 500 }, (_, i) => ({ fullName: `Person ${i}`, email: `p${i}@example.com`, phone: `+46 70 ${1000000 + i}` }));
    people.push({ fullName: 'Anna', email: 'anna@example.com', phone: null }, { fullName: 'Anna Berg', email: 'ab@example.com', phone: null });
    const patterns = mentionPatterns(people);
    expect(patterns.length).toBeLessThanOrEqual(20);
    expect(patterns.length).toBeGreaterThan(1);
    for (const i of [0, 250, 499]) expect(redacted(patterns, `Person ${i} <p${i}@example.com>`)).toBe('[erased] <[erased]>');
    expect(redacted(patterns, 'Owed to Anna Berg and Anna (anna@example.com), call +46 70 1000499')).toBe('Owed to [erased] and [erased] ([erased]), call [erased]');
    expect(patterns.findIndex((p) => p.includes('Anna\\ Berg') || p.includes('Anna Berg'))).toBeLessThanOrEqual(patterns.findIndex((p) => p.includes('\\mAnna\\M')));
  });
});
