#include "analysis/history.h"

#include <simdjson.h>

namespace daliz::analysis {

namespace od = simdjson::ondemand;

struct HistoryFieldReader::Impl {
  od::parser parser;
  simdjson::padded_string buffer;
};

HistoryFieldReader::HistoryFieldReader() : impl_(std::make_unique<Impl>()) {}
HistoryFieldReader::~HistoryFieldReader() = default;

namespace {

std::string_view trimRight(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// Reads the members of the outcome object; returns "" or the first error.
std::string readOutcome(od::object o, Outcome& out) {
  bool sawControlled = false;
  for (auto field : o) {
    std::string_view key;
    if (field.unescaped_key().get(key)) return "outcome: not valid JSON";
    od::value v;
    if (field.value().get(v)) return "outcome: not valid JSON";
    od::json_type type;
    if (v.type().get(type)) return "outcome: not valid JSON";
    if (key == "controlled" || key == "violation") {
      bool b = false;
      if (type == od::json_type::null && key == "violation") continue;
      if (type != od::json_type::boolean || v.get_bool().get(b))
        return "outcome." + std::string(key) + ": expected true or false";
      if (key == "controlled") {
        out.controlled = b;
        sawControlled = true;
      } else {
        out.violation = b;
      }
    } else if (key == "measure") {
      if (type == od::json_type::null) continue;
      std::string_view s;
      if (type != od::json_type::string || v.get_string().get(s))
        return "outcome.measure: expected a measure name (a string)";
      out.measure = std::string(s);
    } else if (key == "additional_duties") {
      if (type == od::json_type::null) continue;
      std::string text;
      if (type == od::json_type::string) {
        std::string_view s;
        if (v.get_string().get(s)) return "outcome.additional_duties: not valid JSON";
        text = std::string(s);
      } else if (type == od::json_type::number) {
        text = std::string(trimRight(v.raw_json_token()));
      } else {
        return "outcome.additional_duties: expected an amount (a number or a string)";
      }
      std::string why;
      std::optional<Decimal> d = parseDecimal(text, &why);
      if (!d) return "outcome.additional_duties: " + why + ", got \"" + text + "\"";
      if (d->units < 0) return "outcome.additional_duties: must not be negative";
      out.duties = *d;
    }
    // Other members are ignored, like unknown fields of a declaration.
  }
  if (!sawControlled) return "outcome.controlled is missing";
  if (out.violation && !out.controlled) return "outcome.violation is true but outcome.controlled is false";
  if (out.duties && out.duties->units > 0 && !out.violation)
    return "outcome.additional_duties is given without a violation";
  return {};
}

}  // namespace

HistoryFields HistoryFieldReader::read(std::string_view line) {
  HistoryFields f;
  impl_->buffer = simdjson::padded_string(line);
  od::document doc;
  if (impl_->parser.iterate(impl_->buffer).get(doc)) return f;
  od::object root;
  if (doc.get_object().get(root)) return f;
  f.json = true;
  bool sawOutcome = false, sawRegistered = false;
  for (auto field : root) {
    std::string_view key;
    if (field.unescaped_key().get(key)) break;  // the decoder reports malformed JSON
    // The first occurrence of a member counts, as for the declaration decoder.
    if (key == "registered" && !sawRegistered) {
      sawRegistered = true;
      std::string_view s;
      if (!field.value().get_string().get(s)) f.registered = parseDate(s);
    } else if (key == "outcome" && !sawOutcome) {
      sawOutcome = true;
      od::value v;
      od::json_type type;
      if (field.value().get(v) || v.type().get(type)) break;
      if (type == od::json_type::null) continue;
      f.hasOutcome = true;
      od::object o;
      if (type != od::json_type::object || v.get_object().get(o)) {
        f.outcomeError = "outcome: expected an object";
        continue;
      }
      f.outcomeError = readOutcome(o, f.outcome);
    }
  }
  return f;
}

}  // namespace daliz::analysis
