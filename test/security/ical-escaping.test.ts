import { describe, expect, it } from 'vitest';
import { escapeText } from '../../reports/programme/ical.js';

// Attack: an audit title with a lone CR ("Q3\rATTENDEE:mailto:x@evil.test") was written raw into the iCalendar feed,
// where calendar apps read the CR as a line end: the title injected a property line of its own. Every line break
// (CRLF, LF, lone CR) is now escaped as \n, and ; , \ as RFC 5545 3.3.11 says.
describe('iCalendar TEXT escaping (RFC 5545)', () => {
  it.each([
    ['Q3\rATTENDEE:mailto:x@evil.test', 'Q3\\nATTENDEE:mailto:x@evil.test'],
    ['a\r\nb', 'a\\nb'],
    ['a\nb', 'a\\nb'],
    ['a\n\rb', 'a\\n\\nb'],
    ['a;b,c\\d', 'a\\;b\\,c\\\\d'],
    ['tab\tkept, bell\u0007 dropped', 'tab\tkept\\, bell dropped'],
    ['审核 2026', '审核 2026'],
  ])('escapes %j as %j', (raw, escaped) => {
    expect(escapeText(raw)).toBe(escaped);
  });
});
