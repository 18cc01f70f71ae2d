import { mentionPattern } from './staff-mentions';

const matches = (pattern: string, text: string) => new RegExp(pattern, 'i').test(text);

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

  it('puts longer values first and skips numbers too short to be a phone', () => {
    expect(mentionPattern([{ fullName: 'Li', email: 'li@x.se', phone: '112' }])).toBe('li@x\\.se|Li');
    expect(mentionPattern([])).toBeNull();
  });
});
