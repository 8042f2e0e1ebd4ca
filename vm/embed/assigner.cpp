// api::Assigner: the assign step of the embedding API over assign/ (docs/assign.md).
#include "assign/assignment.h"
#include "daliz/daliz.h"
#include "vm/exec/decision.h"

namespace daliz::api {

std::unique_ptr<Assigner> Assigner::create(std::string_view officers, std::string_view settingsJson,
                                           std::string_view stateJson, uint64_t seed,
                                           bool postRelease, std::string& error) {
  std::string why;
  auto roster = assign::readRoster(officers, why);
  if (!roster) {
    error = "roster: ";
    error += why;
    return nullptr;
  }
  assign::Settings settings;
  if (!settingsJson.empty()) {
    auto s = assign::readSettings(settingsJson, why);
    if (!s) {
      error = "settings: ";
      error += why;
      return nullptr;
    }
    settings = *s;
  }
  assign::State state;
  if (!stateJson.empty()) {
    auto s = assign::parseState(stateJson, why);
    if (!s) {
      error = "state: ";
      error += why;
      return nullptr;
    }
    state = std::move(*s);
  }
  std::unique_ptr<Assigner> a(new Assigner());
  a->impl_ = std::make_unique<assign::Assigner>(std::move(*roster), settings, seed, postRelease,
                                                std::move(state));
  return a;
}

Assigner::~Assigner() = default;

Assignment Assigner::assign(std::string_view decisionJson) {
  Assignment out;
  std::string why;
  std::optional<std::string> id;
  auto facts = assign::readDecisionLine(decisionJson, id, why);
  ++lines_;
  if (!facts) {
    out.id = id;
    out.error = why;
    bool bad = false;
    out.json = impl_->assignLine(decisionJson, lines_, bad);
    return out;
  }
  assign::Assignment a = impl_->assign(*facts);
  out.id = facts->id;
  out.json = assign::renderAssignmentJson(facts->id, a);
  switch (a.kind) {
    case assign::Assignment::Kind::Assigned:
      out.officer = std::move(a.officer);
      out.weight = a.weight;
      break;
    case assign::Assignment::Kind::Unassigned:
      out.unassigned = std::move(a.code);
      out.reason = std::move(a.reason);
      break;
    case assign::Assignment::Kind::Skipped:
      out.skipped = std::move(a.code);
      break;
  }
  return out;
}

std::string Assigner::state() const { return assign::renderState(impl_->state()); }

std::string Assigner::loads() const { return assign::renderLoads(impl_->roster(), impl_->state()); }

}  // namespace daliz::api
