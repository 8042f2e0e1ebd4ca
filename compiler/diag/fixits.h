#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "compiler/diag/diagnostic.h"

namespace daliz {

// The fix-its of one file that `daliz check --fix` applies (docs/cli.md): every error or
// warning whose help carries edits gives them all (one change, made of one edit or more);
// edits given twice by different diagnostics count once. When two changes overlap, or a
// change reaches into another file, the file is left alone and `skipped` says why.
struct FilePlan {
  uint32_t file = 0;
  std::vector<FixIt> edits;              // in source order, non-overlapping
  std::vector<const Diagnostic*> fixed;  // the diagnostics these edits answer
  std::string skipped;                   // "" when the edits can be applied
};

// One plan per file with any fix-it, in file id order.
std::vector<FilePlan> planFixes(const SourceManager& sources,
                                const std::vector<const Diagnostic*>& diagnostics);

// `text` with `edits` (sorted, non-overlapping, byte ranges into `text`) applied.
std::string applyEdits(std::string_view text, const std::vector<FixIt>& edits);

}  // namespace daliz
