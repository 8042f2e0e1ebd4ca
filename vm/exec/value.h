#pragma once
// The VM's value cell. Opcodes are typed, so a cell carries no type tag: the code
// generator and the verifier agree on what each register holds (see vm/bytecode/opcodes.def).
#include <cstdint>

namespace daliz {

struct Value;

struct Str {
  const char* data;
  uint32_t size;
};

// A list of records: `items[k]` points at the field cells of record k.
struct ListValue {
  uint32_t size;
  const Value* const* items;
};

struct Value {
  union {
    int64_t i;           // int, bool (0/1), date (days since 1970-01-01), hs (packed),
                         // country / currency (letter index), enum (value index)
    __int128 d;          // decimal and money: units of 10^-6
    Str s;               // string, code
    const Value* rec;    // a record: its field cells, in schema order
    const ListValue* list;
  };
  bool missing;          // for bool: unknown

  static Value ofInt(int64_t v) { Value x; x.d = 0; x.i = v; x.missing = false; return x; }
  static Value ofDec(__int128 v) { Value x; x.d = v; x.missing = false; return x; }
  static Value ofStr(const char* p, uint32_t n) { Value x; x.d = 0; x.s = {p, n}; x.missing = false; return x; }
  static Value none() { Value x; x.d = 0; x.missing = true; return x; }
};

}  // namespace daliz
