// The SDK's example placement plugin in JavaScript: spread instances of a
// template across the values of a metadata key (config `key`, default `rack`)
// and turn away machines tagged `drain=true`. Built into a component by
// build.sh with componentize-js. A thrown string becomes the `err` result.

const REASON = "machine is draining (drain=true)";

let key = "rack";
let valueOf = [];
let draining = [];

export const plugin = {
  init(config) {
    for (const [k, v] of config) {
      if (k !== "key") throw "unknown config key (expected `key`)";
      const n = new TextEncoder().encode(v).length;
      if (n === 0 || n >= 256) throw "key must be 1 to 255 bytes";
      key = v;
    }
  },

  onMachines(machines) {
    valueOf = [];
    draining = [];
    for (const m of machines) {
      let value = "";
      let drain = false;
      for (const [k, v] of m.metadata) {
        if (k === key) value = v;
        if (k === "drain" && v === "true") drain = true;
      }
      valueOf.push(value);
      draining.push(drain);
    }
  },

  filter(unit, siblings, candidates) {
    const rejected = [];
    candidates.machines.forEach((m, i) => {
      if (draining[m]) rejected.push(i);
    });
    return rejected.length ? [{ candidates: rejected, reason: REASON }] : [];
  },

  score(unit, siblings, candidates) {
    const perValue = new Map();
    siblings.machines.forEach((m, i) => {
      const v = valueOf[m];
      perValue.set(v, (perValue.get(v) ?? 0) + siblings.counts[i]);
    });
    return Array.from(candidates.machines, (m) => -(perValue.get(valueOf[m]) ?? 0));
  },
};
