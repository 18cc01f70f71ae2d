import { mentionPattern } from './staff-mentions';

/** PostgreSQL's word boundaries (\m, \M) in JavaScript's terms, to try the pattern here. */
const matches = (pattern: string, text: string) =>
  new RegExp(pattern.replace(/\\m/g, '(?<![\\p{L}\\p{N}_])').replace(/\\M/g, '(?![\\p{L}\\p{N}_])'), 'iu').test(text);

describe(mentionPattern.name, () => {
  it('finds the name, the email and the phone, whatever their case', () => {
    const pattern = mentionPattern([{ fullName: 'Åsa Öberg', email: 'asa@example.com', phone: '+46 70 123 45 67' }])!;
    expect(matches(pattern, 'Feedback owed to ÅSA ÖBERG today')).toBe(true);
    expect(matches(pattern, 'write to ASA@example.com')).toBe(true);
    expect(matches(pattern, 'call +46 70 123 45 67')).toBe(true);
    expect(matches(pattern, 'Åsa Berg')).toBe(false);
  });

  it('also finds the HTML-escaped name, and treats every character literally', () => {
    const pattern = mentionPattern([{ fullName: "Seán O'Brien (Jr.)", email: 'a.b+c@x.io', phone: null }])!;
    expect(matches(pattern, '<strong>Seán O&#x27;Brien (Jr.)</strong>')).toBe(true);
    expect(matches(pattern, "Seán O'Brien (Jr.)")).toBe(true);
    expect(matches(pattern, 'Seán OXBrien')).toBe(false);
    expect(matches(pattern, 'aXb+c@x.io')).toBe(false);
    expect(matches(pattern, 'a.b+c@x.io')).toBe(true);
  });

  it('matches whole words only, so a short name leaves longer words alone', () => {
    const pattern = mentionPattern([{ fullName: 'Al', email: 'al@x.se', phone: null }])!;
    expect(matches(pattern, 'Alice Berg (Final interview)')).toBe(false);
    expect(matches(pattern, 'Feedback owed to Al today')).toBe(true);
    // A name starting with a letter outside ASCII is found however the database's locale classes it.
    expect(matches(mentionPattern([{ fullName: 'Åsa Öberg', email: 'x@y.se', phone: null }])!, 'to Åsa Öberg:')).toBe(true);
  });

  it('finds an address whole, not inside a longer one', () => {
    const pattern = mentionPattern([{ fullName: 'Xi', email: 'x@example.com', phone: null }])!;
    for (const other of ['x@example.com.au', 'a.x@example.com', 'ax+x@example.com', 'x@example.com-mail.se']) expect(matches(pattern, `to ${other} today`)).toBe(false);
    for (const text of ['to x@example.com.', '<X@EXAMPLE.COM>', '(x@example.com)', 'x@example.com, y@z.se']) expect(matches(pattern, text)).toBe(true);
  });

  it('puts longer values first and skips numbers too short to be a phone', () => {
    expect(mentionPattern([{ fullName: 'Li', email: 'li@x.se', phone: '112' }]))
      .toBe('(?<![A-Za-z0-9._%+-])li@x\\.se(?![A-Za-z0-9_-]|\\.[A-Za-z0-9])|\\mLi\\M');
    expect(mentionPattern([])).toBeNull();
  });
});
