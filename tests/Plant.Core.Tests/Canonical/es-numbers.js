// Writes es-numbers.txt: IEEE 754 bit patterns and what ECMAScript's Number.prototype.toString makes of them,
// the reference EcmaScriptNumberTests compares against. Deterministic (a fixed-seed generator), so a re-run
// gives the same file:  node tests/Plant.Core.Tests/Canonical/es-numbers.js > tests/Plant.Core.Tests/Canonical/es-numbers.txt
let seed = 0x2545f491n;
const next = () => { seed ^= seed << 13n; seed &= 0xffffffffffffffffn; seed ^= seed >> 7n; seed ^= seed << 17n; seed &= 0xffffffffffffffffn; return seed; };
const view = new DataView(new ArrayBuffer(8));
const lines = [];
const add = (bits) => {
  view.setBigUint64(0, bits);
  const d = view.getFloat64(0);
  if (Number.isFinite(d)) lines.push(bits.toString(16).padStart(16, '0') + ' ' + String(d));
};
const addNumber = (d) => { view.setFloat64(0, d); add(view.getBigUint64(0)); };
for (let i = 0; i < 3000; i++) add(next());                                   // any bit pattern
for (let i = 0; i < 1000; i++) addNumber(Number(next() % 2000000000000n) / 10 ** Number(next() % 12n)); // decimals
for (let e = -330; e <= 310; e++) { addNumber(10 ** e); addNumber(-(10 ** e) * 3); } // decades, exponent switches
for (let e = -1074; e <= 1023; e += 7) { addNumber(2 ** e); view.setFloat64(0, 2 ** e); add(view.getBigUint64(0) - 1n); } // powers of two and below
for (const d of [1e21, 1e21 - 65536, 999999999999999900000, 1e-6, 1e-7, 0.1, 0.2, 0.30000000000000004, 123456789012345680000, 2 ** 53, 2 ** 53 + 2, 5e-324, 1.7976931348623157e308]) addNumber(d);
console.log(lines.join('\n'));
