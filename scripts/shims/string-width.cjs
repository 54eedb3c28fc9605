// string-width (v4, cli-table3's; v5, wrap-ansi's) builds its ANSI and emoji patterns anew on
// every call, and a terminal answer measures every line of every table cell and every word. The
// build gives both libraries this instead: the same widths, plain printable ASCII measured by its
// length, anything else by string-width itself.
const { stripVTControlCharacters } = require('node:util');
const stringWidth = require('string-width');

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

module.exports = function width(text) {
  if (typeof text !== 'string' || text.length === 0) return 0;
  const plain = stripVTControlCharacters(text);
  return PRINTABLE_ASCII.test(plain) ? plain.length : stringWidth(text);
};
