#include "analysis/lint.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "analysis/condition_facts.h"
#include "analysis/format.h"
#include "vm/exec/plan_check.h"
#include "compiler/driver/pipeline.h"
#include "vm/bundle/verifier.h"
#include "vm/limits.h"

namespace daliz::analysis {
namespace {

struct Profile {
  const ProfileDecl* decl = nullptr;
  std::vector<Conjunct> conjuncts;
  std::vector<uint64_t> terms;  // hashes of the facts' terms, sorted and unique
  Corridor corridor = Corridor::Green;
  bool neverFires = false;
};

// A conjunct as it is written, on one line and cut to a readable length.
std::string snippet(const SourceManager& sources, SourceRange r) {
  constexpr size_t kMaxCodePoints = 60;
  std::string out;
  size_t codePoints = 0;
  bool space = false;
  for (char ch : sources.text(r)) {
    auto byte = static_cast<unsigned char>(ch);
    if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
      space = !out.empty();
      continue;
    }
    bool starts = (byte & 0xC0) != 0x80;
    if (starts && space) {
      out += ' ';
      ++codePoints;
      space = false;
    }
    if (starts && ++codePoints > kMaxCodePoints) return out + "…";
    out += ch;
  }
  return out;
}

std::string position(const SourceManager& sources, SourceRange r) {
  LineColumn lc = sources.lineColumn(r.file, r.begin);
  return std::to_string(lc.line) + ", column " + std::to_string(lc.column);
}

Corridor corridorOf(const ProfileDecl& p) {
  Corridor c = Corridor::Green;
  for (const MeasureDecl* m : p.measureDecls)
    if (m && m->corridor > c) c = m->corridor;
  return c;
}

bool sameMeasures(const ProfileDecl& a, const ProfileDecl& b) {
  std::set<const MeasureDecl*> x(a.measureDecls.begin(), a.measureDecls.end());
  std::set<const MeasureDecl*> y(b.measureDecls.begin(), b.measureDecls.end());
  return x == y;
}

// Every declaration date on which `p` runs is one on which `q` runs.
bool validityCovers(const ProfileDecl& q, const ProfileDecl& p) {
  if (!q.valid) return true;
  if (!p.valid) return false;
  return q.valid->first <= p.valid->first && p.valid->second <= q.valid->second;
}

// Whenever `p` fires for an object, `q` fires for the same declaration (and, in item scope,
// the same item): each of q's conjuncts is implied by one of p's.
bool conditionImplies(const Profile& p, const Profile& q) {
  if (!std::includes(p.terms.begin(), p.terms.end(), q.terms.begin(), q.terms.end())) return false;
  for (const Conjunct& b : q.conjuncts) {
    if (b.shape == Conjunct::Shape::AlwaysTrue) continue;
    if (b.shape != Conjunct::Shape::Fact) return false;
    bool found = false;
    for (const Conjunct& a : p.conjuncts) {
      if (a.shape != Conjunct::Shape::Fact) continue;
      LocalPairs pairs(p.decl->itemLocal, q.decl->itemLocal);
      if (sameExpr(*a.fact.term, *b.fact.term, pairs) && implies(a.fact, b.fact)) {
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}

class Linter {
 public:
  Linter(Compilation& c, const LintOptions& o) : c_(c), options_(o) {}

  size_t run() {
    for (const ProfileDecl* d : c_.profiles) {
      if (d->fromStdlib || d->status == ProfileStatus::Suspended) continue;
      Profile p;
      p.decl = d;
      p.conjuncts = conjunctsOf(*d);
      for (const Conjunct& cj : p.conjuncts)
        if (cj.shape == Conjunct::Shape::Fact) p.terms.push_back(exprHash(*cj.fact.term));
      std::sort(p.terms.begin(), p.terms.end());
      p.terms.erase(std::unique(p.terms.begin(), p.terms.end()), p.terms.end());
      p.corridor = corridorOf(*d);
      profiles_.push_back(std::move(p));
    }
    // Source order: a duplicate is reported at the later profile.
    std::sort(profiles_.begin(), profiles_.end(), [](const Profile& a, const Profile& b) {
      return std::tie(a.decl->range.file, a.decl->range.begin) <
             std::tie(b.decl->range.file, b.decl->range.begin);
    });
    for (Profile& p : profiles_) neverFires(p);
    std::vector<const Profile*> running;
    for (const Profile& p : profiles_)
      if (p.decl->status == ProfileStatus::Active && !p.neverFires) running.push_back(&p);
    duplicates(running);
    impliedByStronger(running);
    // Read off the program the compiler generates: what the VM will run, and the plans in the
    // basis points the engine and the reports use.
    CodegenOptions all;
    all.includeDrafts = true;
    std::string error;
    if (auto program = buildProgram(c_, all, error)) {  // else silence where it cannot prove
      superlinear(*program);
      infeasiblePlans(*program);
    }
    return warnings_;
  }

 private:
  void warn(Diag id, SourceRange at, std::vector<std::string> args) {
    c_.diagnostics.report(id, at, std::move(args));
    ++warnings_;
  }
  void note(Diag id, SourceRange at, std::vector<std::string> args) {
    c_.diagnostics.note(id, at, std::move(args));
  }
  std::string text(SourceRange r) const { return snippet(c_.sources, r); }

  // Contradictions, `false`, empty sets, `sample 0%` and ended validity ranges.
  void neverFires(Profile& p) {
    const std::string& id = p.decl->name.text;
    std::vector<bool> alone(p.conjuncts.size(), false);  // never true on its own: reported
    for (size_t j = 0; j < p.conjuncts.size(); ++j) {
      const Conjunct& b = p.conjuncts[j];
      if (b.shape == Conjunct::Shape::NeverTrue) {
        warn(Diag::LintNeverTrue, b.range, {id, text(b.expr->range)});
        alone[j] = p.neverFires = true;
        continue;
      }
      if (b.shape != Conjunct::Shape::Fact) continue;
      if (unsatisfiable(b.fact)) {
        if (b.fact.kind == Fact::Kind::InSet) {
          warn(Diag::LintEmptySet, b.range, {id, text(b.expr->range)});
          if (b.fact.namedSet)
            note(Diag::LintNoteEmptySet, b.fact.namedSet->name.range, {b.fact.namedSet->name.text});
        } else {
          warn(Diag::LintNeverTrue, b.range, {id, text(b.expr->range)});
        }
        alone[j] = p.neverFires = true;
        continue;
      }
      // Pairs of conditions: a profile with very many is not compared (silence where it cannot
      // afford a proof; vm/limits.def, LintConjuncts).
      if (p.conjuncts.size() > limits::kLintConjuncts) continue;
      for (size_t i = 0; i < j; ++i) {
        const Conjunct& a = p.conjuncts[i];
        if (a.shape != Conjunct::Shape::Fact || alone[i]) continue;
        if (!sameExpr(*a.fact.term, *b.fact.term) || satisfiable(a.fact, b.fact)) continue;
        warn(Diag::LintContradiction, b.range,
             {id, text(b.expr->range), text(a.expr->range), position(c_.sources, a.expr->range)});
        note(Diag::LintNoteConjunct, a.expr->range, {text(a.expr->range)});
        p.neverFires = true;
        break;
      }
    }
    if (p.decl->sample && p.decl->sampleBasisPoints == 0) {
      warn(Diag::LintSampleZero, p.decl->sample->range, {id});
      p.neverFires = true;
    }
    if (p.decl->valid && p.decl->valid->second < options_.today) {
      warn(Diag::LintExpired, p.decl->validRange,
           {id, toString(p.decl->valid->second), toString(options_.today)});
      p.neverFires = true;
    }
  }

  static bool duplicate(const Profile& a, const Profile& b) {
    const ProfileDecl &x = *a.decl, &y = *b.decl;
    if (bool(x.itemLocal) != bool(y.itemLocal) || x.sampleBasisPoints != y.sampleBasisPoints ||
        x.valid != y.valid || !x.when || !y.when || !sameMeasures(x, y))
      return false;
    LocalPairs pairs(x.itemLocal, y.itemLocal);
    return sameExpr(*x.when, *y.when, pairs);
  }

  void duplicates(const std::vector<const Profile*>& running) {
    std::map<uint64_t, std::vector<const Profile*>> seen;  // by the hash of `when`
    for (const Profile* p : running) {
      if (!p->decl->when) continue;
      auto& bucket = seen[exprHash(*p->decl->when)];
      for (const Profile* first : bucket) {
        if (!comparePair(*p)) return;
        if (!duplicate(*first, *p)) continue;
        warn(Diag::LintDuplicateProfile, p->decl->name.range,
             {p->decl->name.text, first->decl->name.text});
        note(Diag::LintNoteProfile, first->decl->name.range, {first->decl->name.text});
        duplicates_.insert(p);
        break;
      }
      bucket.push_back(p);
    }
  }

  // Whenever `p` fires, `q` fires too, with a corridor at least as strong.
  static bool covers(const Profile& q, const Profile& p) {
    const ProfileDecl &x = *q.decl, &y = *p.decl;
    if (q.corridor < p.corridor || x.sampleBasisPoints < 10000 || !validityCovers(x, y))
      return false;
    // Conditions compared pairwise: not for profiles with very many (LintConjuncts).
    if (p.conjuncts.size() > limits::kLintConjuncts || q.conjuncts.size() > limits::kLintConjuncts) return false;
    if (x.itemLocal && !y.itemLocal) return false;  // q needs an item that p does not give
    return conditionImplies(p, q);
  }

  // Counts a comparison of two profiles; false (after reporting LintStopped at `at`, once)
  // when lint has compared as many pairs as it may (vm/limits.def, LintProfilePairs).
  bool comparePair(const Profile& at) {
    if (++pairs_ <= limits::kLintProfilePairs) return true;
    if (!stopped_) warn(Diag::LintStopped, at.decl->name.range, {std::to_string(limits::kLintProfilePairs)});
    stopped_ = true;
    return false;
  }

  void impliedByStronger(const std::vector<const Profile*>& running) {
    for (const Profile* p : running) {
      if (duplicates_.count(p)) continue;  // already reported
      for (const Profile* q : running) {
        if (q == p || duplicates_.count(q)) continue;
        if (!comparePair(*p)) return;
        if (!covers(*q, *p)) continue;
        // Two profiles that cover each other: report only the later one, so that one stays.
        bool later = std::tie(p->decl->range.file, p->decl->range.begin) >
                     std::tie(q->decl->range.file, q->decl->range.begin);
        if (!later && covers(*p, *q)) continue;
        warn(Diag::LintImpliedByStronger, p->decl->name.range,
             {p->decl->name.text, q->decl->name.text, corridorName(q->corridor)});
        note(Diag::LintNoteProfile, q->decl->name.range, {q->decl->name.text});
        break;
      }
    }
  }

  // Profiles whose loops over independent lists nest two deep or more: their cost grows as a
  // power of the number of goods items (vm/bundle/verifier.h, costDegree). Read off the code the compiler generates,
  // the code the VM will run.
  void superlinear(const Program& program) {
    for (const ProfileSpec& spec : program.profiles) {
      const uint32_t depth = costDegree(spec.code);
      if (depth < 2) continue;
      auto decl = std::find_if(c_.profiles.begin(), c_.profiles.end(),
                               [&](const ProfileDecl* d) { return d->name.text == spec.id; });
      if (decl == c_.profiles.end()) continue;
      std::string steps = "1";
      for (uint32_t k = 0; k < depth && k < 6; ++k) steps += ",000";
      if (depth > 6) steps = "10^" + std::to_string(3 * depth);
      warn(Diag::LintSuperlinear, (*decl)->name.range, {spec.id, std::to_string(depth), steps});
    }
  }

  // Plans whose ranges cannot hold together (analysis/plan_check.h, planFeasibility): however
  // the declarations fall, some corridor is outside its range.
  void infeasiblePlans(const Program& program) {
    for (const PlanSpec& spec : program.plans) {
      const PlanFeasibility f = planFeasibility(spec);
      if (f.feasible()) continue;
      auto decl = std::find_if(c_.plans.begin(), c_.plans.end(),
                               [&](const PlanDecl* d) { return d->name.text == spec.id; });
      if (decl == c_.plans.end()) continue;
      std::string why;
      if (f.minimumsOver) {
        why = "its minimum shares add up to ";
        why += fmt::samplePercent(f.lowSumBasisPoints);
        why += ", more than 100%";
      } else {
        why = "it names all four corridors and their maximum shares add up to ";
        why += fmt::samplePercent(f.highSumBasisPoints);
        why += ", less than 100%";
      }
      warn(Diag::LintPlanInfeasible, (*decl)->name.range, {spec.id, why});
    }
  }

  Compilation& c_;
  const LintOptions& options_;
  std::vector<Profile> profiles_;
  std::set<const Profile*> duplicates_;
  size_t warnings_ = 0;
  uint64_t pairs_ = 0;   // profile pairs compared
  bool stopped_ = false;  // LintStopped reported
};

}  // namespace

size_t lint(Compilation& c, const LintOptions& options) { return Linter(c, options).run(); }

}  // namespace daliz::analysis
