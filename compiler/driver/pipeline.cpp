#include "compiler/driver/pipeline.h"

#include <algorithm>
#include <stdexcept>

#include "compiler/driver/given_json.h"
#include "vm/bundle/verifier.h"
#include "vm/decode/arena.h"
#include "vm/decode/declaration_decoder.h"
#include "vm/exec/categorize_batch.h"
#include "vm/exec/evaluator.h"
#include "vm/limits.h"

namespace daliz {

std::optional<Program> buildProgram(Compilation& c, const CodegenOptions& options,
                                    std::string& error) {
  if (c.diagnostics.hasErrors()) return std::nullopt;
  try {
    return generate(c, options);
  } catch (const CodeLimitError& e) {
    auto decl = std::find_if(c.profiles.begin(), c.profiles.end(),
                             [&](const ProfileDecl* d) { return d->name.text == e.profile; });
    if (decl != c.profiles.end()) {
      c.diagnostics.report(Diag::ProfileTooComplex, (*decl)->name.range, {e.profile, e.what()});
      error.clear();
    } else {
      error = e.what();
    }
    return std::nullopt;
  } catch (const std::exception& e) {
    error = e.what();
    return std::nullopt;
  }
}

std::unique_ptr<LoadedProgram> loadInMemory(Program program, std::string& error) {
  error = verifyProgram(program);
  if (!error.empty()) {
    error = "internal error: the compiled program does not verify: " + error;
    return nullptr;
  }
  return prepareProgram(std::move(program), "", error);
}

std::unique_ptr<LoadedProgram> loadCompiled(Compilation& c, Program program, std::string& error) {
  VerifyOutcome v = verifyProgramDetailed(program);
  if (v.error.empty()) return prepareProgram(std::move(program), "", error);
  if (v.limit && v.profile >= 0) {
    const ProfileSpec& spec = program.profiles[static_cast<size_t>(v.profile)];
    auto decl = std::find_if(c.profiles.begin(), c.profiles.end(),
                             [&](const ProfileDecl* d) { return d->name.text == spec.id; });
    if (decl != c.profiles.end()) {
      const std::string why =
          "its code would have " + std::to_string(spec.code.size()) +
          " instructions with too many branches to verify (VerifierStateCells and "
          "VerifierWork in docs/limits.md)";
      c.diagnostics.report(Diag::ProfileTooComplex, (*decl)->name.range, {spec.id, why});
      error.clear();
      return nullptr;
    }
  }
  error = "internal error: the compiled program does not verify: " + v.error;
  return nullptr;
}

namespace {

std::string describeHits(const LoadedProgram& lp, const Decision& d) {
  if (d.hits.empty() && d.engineHits.empty()) return "no hits";
  std::string s;
  for (const Hit& h : d.hits) {
    if (!s.empty()) s += ", ";
    s += "\"" + lp.program.profiles[h.profile].id + "\"";
    if (h.item) s += " item " + std::to_string(*h.item);
  }
  for (const EngineHit& h : d.engineHits) {  // the floor of a previous decision
    if (!s.empty()) s += ", ";
    s += "\"" + h.profile + "\"";
  }
  return "hits " + s;
}

// A test of the categorize block: `given participant`, `expect category`, `expect rule`.
TestOutcome runParticipantTest(Compilation& c, const LoadedProgram& lp, const TestDecl& t) {
  TestOutcome o;
  o.name = t.name.text;
  // The same path as `daliz categorize`: the given literal as the JSON line it stands for.
  CategorizeBatch batch(lp, 1);
  bool ok = false;
  batch.categorizeOne(givenToJson(*t.givens[0], c.types.recordType(c.categorize->record)), ok);
  const Categorization& got = batch.lastResult();
  const std::string outcome =
      std::string("category ") + levelText(got.category) + " by rule \"" + got.rule + "\"";
  if (!got.ok) o.failures.push_back("the given participant cannot be categorised: " + got.error);
  for (const Expectation& e : t.expectations) {
    if (!got.ok) break;
    if (e.kind == Expectation::Kind::Category && e.corridor.text != levelText(got.category))
      o.failures.push_back("expected category " + e.corridor.text + ", got " + outcome);
    if (e.kind == Expectation::Kind::Rule && e.profile.text != got.rule)
      o.failures.push_back("expected rule \"" + e.profile.text + "\", got " + outcome);
  }
  o.passed = o.failures.empty();
  return o;
}

}  // namespace

std::vector<TestOutcome> runTests(Compilation& c, const LoadedProgram& lp) {
  std::vector<TestOutcome> outcomes;
  DeclarationDecoder decoder(lp.program.schema);
  Evaluator evaluator(lp);
  evaluator.setRandomSelection(false);  // a test states what the profiles decide (docs/language.md)
  Arena arena;
  for (const TestDecl* t : c.tests) {
    TestOutcome o;
    o.name = t->name.text;
    if (t->participant) {
      if (!t->givens.empty() && lp.program.categorization && c.categorize && c.categorize->record)
        outcomes.push_back(runParticipantTest(c, lp, *t));
      continue;
    }
    if (t->givens.empty() || c.root == nullptr) continue;
    std::string json = givenToJson(*t->givens[0], c.types.recordType(c.root));
    arena.reset();
    auto decoded = decoder.decode(json, arena);
    if (!decoded.root) {
      o.passed = false;
      o.failures.push_back("the given declaration cannot be evaluated: " + decoded.error);
      outcomes.push_back(std::move(o));
      continue;
    }
    Decision d;
    evaluator.evaluate(decoded.root, d);
    for (const Expectation& e : t->expectations) {
      switch (e.kind) {
        case Expectation::Kind::Corridor:
          if (e.corridor.text != corridorText(d.corridor))
            o.failures.push_back("expected corridor " + e.corridor.text + ", got " +
                                 corridorText(d.corridor) + " (" + describeHits(lp, d) + ")");
          break;
        case Expectation::Kind::Hit:
        case Expectation::Kind::NoHit: {
          bool found = std::any_of(d.hits.begin(), d.hits.end(), [&](const Hit& h) {
            return lp.program.profiles[h.profile].id == e.profile.text &&
                   (!e.item || h.item == e.item);
          });
          bool want = e.kind == Expectation::Kind::Hit;
          if (found != want) {
            std::string what =
                "\"" + e.profile.text + "\"" + (e.item ? " item " + std::to_string(*e.item) : "");
            o.failures.push_back(std::string(want ? "expected a hit of " : "expected no hit of ") +
                                 what + ", got " + describeHits(lp, d));
          }
          break;
        }
        case Expectation::Kind::Measures: {
          std::vector<std::string> want, got;
          for (const Name& m : e.measures) want.push_back(m.text);
          for (uint32_t m : d.measures) got.push_back(lp.program.measures[m].name);
          std::sort(want.begin(), want.end());
          std::vector<std::string> gotSorted = got;
          std::sort(gotSorted.begin(), gotSorted.end());
          if (want != gotSorted) {
            std::string g;
            for (auto& m : got) g += (g.empty() ? "" : ", ") + m;
            o.failures.push_back("expected measures differ; got " +
                                 (g.empty() ? std::string("none") : g));
          }
          break;
        }
        case Expectation::Kind::Category:
        case Expectation::Kind::Rule:
          break;  // the checker allows them only with `given participant`
      }
    }
    o.passed = o.failures.empty();
    outcomes.push_back(std::move(o));
  }
  return outcomes;
}

}  // namespace daliz
