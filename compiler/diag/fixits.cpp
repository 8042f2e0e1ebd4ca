#include "compiler/diag/fixits.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace daliz {
namespace {

std::string where(const SourceManager& sources, const FixIt& f) {
  LineColumn lc = sources.lineColumn(f.range.file, f.range.begin);
  return std::to_string(lc.line) + ":" + std::to_string(lc.column);
}

bool sameEdit(const FixIt& a, const FixIt& b) {
  return a.range.begin == b.range.begin && a.range.end == b.range.end &&
         a.replacement == b.replacement;
}

}  // namespace

std::vector<FilePlan> planFixes(const SourceManager& sources,
                                const std::vector<const Diagnostic*>& diagnostics) {
  std::map<uint32_t, FilePlan> plans;
  for (const Diagnostic* d : diagnostics) {
    if (d->severity != Severity::Error && d->severity != Severity::Warning) continue;
    if (!d->help || d->help->fixits.empty()) continue;
    const std::vector<FixIt>& fixits = d->help->fixits;
    uint32_t file = fixits.front().range.file;
    FilePlan& plan = plans[file];
    plan.file = file;
    bool oneFile = std::all_of(fixits.begin(), fixits.end(), [&](const FixIt& f) {
      return f.range.valid() && f.range.file == file && f.range.begin <= f.range.end &&
             f.range.end <= sources.file(file).text.size();
    });
    if (!oneFile) {
      if (plan.skipped.empty()) plan.skipped = "a fix-it reaches outside this file";
      continue;
    }
    for (const FixIt& f : fixits) plan.edits.push_back(f);
    plan.fixed.push_back(d);
  }
  std::vector<FilePlan> out;
  for (auto& [file, plan] : plans) {
    auto& e = plan.edits;
    std::stable_sort(e.begin(), e.end(), [](const FixIt& a, const FixIt& b) {
      return std::tie(a.range.begin, a.range.end) < std::tie(b.range.begin, b.range.end);
    });
    e.erase(std::unique(e.begin(), e.end(), sameEdit), e.end());
    for (size_t i = 1; i < e.size() && plan.skipped.empty(); ++i) {
      const FixIt& a = e[i - 1];
      const FixIt& b = e[i];
      // Overlapping ranges, or two different insertions at one place (their order is unknown).
      bool overlap = b.range.begin < a.range.end ||
                     (a.range.begin == b.range.begin && a.range.begin == a.range.end &&
                      b.range.begin == b.range.end);
      if (overlap)
        plan.skipped =
            "the fix-its at " + where(sources, a) + " and " + where(sources, b) + " overlap";
    }
    out.push_back(std::move(plan));
  }
  return out;
}

std::string applyEdits(std::string_view text, const std::vector<FixIt>& edits) {
  std::string out;
  size_t at = 0;
  for (const FixIt& f : edits) {
    out.append(text.substr(at, f.range.begin - at));
    out += f.replacement;
    at = f.range.end;
  }
  out.append(text.substr(at));
  return out;
}

}  // namespace daliz
