#pragma once
// What one run of a function — a profile's code, or a categorisation rule's — reads and writes
// besides its registers. The one place for this state, so that the interpreter (interpreter.h)
// and compiled code (vm/jit) share it, and call the same functions (runtime.h) for every opcode
// too large to inline.
#include <xxhash.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <new>
#include <string>
#include <string_view>

#include "vm/bytecode/program.h"
#include "vm/exec/value.h"

namespace daliz {

struct Decision;
struct LoadedProgram;
struct ProfileSpec;

// The part of the state that compiled code reads and writes directly: plain data with a fixed
// layout (vm/jit reads it by offset).
struct RunFrame {
  const Value* root = nullptr;        // R0: the declaration (or the participant)
  const Value* item = nullptr;        // R1: the goods item of an item-scope profile
  const Value* constants = nullptr;   // LoadedProgram::constants
  const uint32_t* matched = nullptr;  // FORPREP_G/LOOP_G walk these item positions; null: all
  int64_t matchedCount = 0;
  int64_t left = 0;  // what is left of the budget for the declaration; negative once spent
};

struct ExecContext {
  explicit ExecContext(const LoadedProgram& program) : program(program) {
    if (!sampleKey) throw std::bad_alloc();
  }

  const LoadedProgram& program;
  RunFrame frame;
  // The current run: the profile (null for a categorisation rule) and where HIT records.
  const ProfileSpec* profile = nullptr;
  uint32_t profileIndex = 0;
  int64_t itemNo = 0;  // the item's `no` (item scope), else 0
  Decision* out = nullptr;
  bool hit = false;    // HIT ran
  std::string reason;  // RTEXT/RVAL append, HIT copies
  // The notice's texts, one per language of kNoticeLanguages (vm/bytecode/program.h), and
  // which text RTEXT/RVAL append to: 0 the reason, 1 + L notice[L] (TEXT sets it).
  std::string notice[kNoticeLanguageCount];
  uint8_t text = 0;
  std::string& currentText() { return text == 0 ? reason : notice[text - 1]; }
  // Before each run: empty texts, appending to the reason.
  void clearTexts() {
    reason.clear();
    for (std::string& n : notice) n.clear();
    text = 0;
  }
  // Per declaration (or rule): its id, for SAMPLE; LOWER/UPPER results, which live until it
  // ends (a deque: growing it never moves a string); the key buffer of LOOKUP.
  std::string_view declarationId;
  std::deque<std::string> scratchStrings;
  size_t scratchUsed = 0;
  std::string key;
  // The sample key of `sample … by` (SKEY, SKEYPER, SAMPLEBY; runtime.h), hashed as it grows so
  // that a key never needs memory however often a crafted bundle adds to it. Open: a key has
  // been started in this run and not yet drawn on; every run starts with none.
  std::unique_ptr<XXH64_state_t, XXH_errorcode (*)(XXH64_state_t*)> sampleKey{XXH64_createState(),
                                                                              &XXH64_freeState};
  bool sampleKeyOpen = false;
};

}  // namespace daliz
