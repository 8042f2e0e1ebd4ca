// api::Record: a declaration built in code, held as the decoder reads it
// (vm/decode/input_record.h).
#include "daliz/daliz.h"
#include "vm/decode/input_record.h"
#include "vm/exec/decision.h"

namespace daliz::api {
namespace {

InputValue recordValue(const std::shared_ptr<InputRecord>& data) {
  InputValue v;
  v.kind = InputValue::Kind::Record;
  v.records.push_back(data);
  return v;
}

void appendJson(std::string& out, const InputRecord& r);

void appendJson(std::string& out, const InputValue& v) {
  switch (v.kind) {
    case InputValue::Kind::String:
      appendJsonString(out, v.text);
      break;
    case InputValue::Kind::Integer:
      out += std::to_string(v.integer);
      break;
    case InputValue::Kind::Bool:
      out += v.integer ? "true" : "false";
      break;
    case InputValue::Kind::Record:
      appendJson(out, *v.records.at(0));
      break;
    case InputValue::Kind::List:
      out += '[';
      for (size_t k = 0; k < v.records.size(); ++k) {
        if (k) out += ',';
        appendJson(out, *v.records[k]);
      }
      out += ']';
      break;
  }
}

void appendJson(std::string& out, const InputRecord& r) {
  out += '{';
  for (size_t k = 0; k < r.fields.size(); ++k) {
    if (k) out += ',';
    appendJsonString(out, r.fields[k].first);
    out += ':';
    appendJson(out, r.fields[k].second);
  }
  out += '}';
}

// The data of every empty record: a function's static, so that records at namespace scope in
// other files can be made before this file's statics.
const std::shared_ptr<InputRecord>& empty() {
  static const auto e = std::make_shared<InputRecord>();
  return e;
}

}  // namespace

Record::Record() : data_(empty()) {}
Record::Record(const Record& other) = default;
Record::Record(Record&& other) noexcept : data_(std::move(other.data_)) { other.data_ = empty(); }
Record& Record::operator=(const Record& other) = default;
Record& Record::operator=(Record&& other) noexcept {
  data_ = std::move(other.data_);
  other.data_ = empty();
  return *this;
}
Record::~Record() = default;

// Copies share their data until one of them is changed: a record set into another (or into a
// list) stays as it was when set, whatever is done to the original afterwards.
InputRecord& Record::own() {
  if (data_.use_count() > 1 || data_ == empty()) data_ = std::make_shared<InputRecord>(*data_);
  return *data_;
}

Record& Record::set(const std::string& field, std::string value) {
  InputValue v;
  v.text = std::move(value);
  own().set(field, std::move(v));
  return *this;
}

Record& Record::set(const std::string& field, int64_t value) {
  InputValue v;
  v.kind = InputValue::Kind::Integer;
  v.integer = value;
  own().set(field, std::move(v));
  return *this;
}

Record& Record::set(const std::string& field, bool value) {
  InputValue v;
  v.kind = InputValue::Kind::Bool;
  v.integer = value ? 1 : 0;
  own().set(field, std::move(v));
  return *this;
}

Record& Record::set(const std::string& field, const Record& value) {
  own().set(field, recordValue(value.data_));
  return *this;
}

Record& Record::set(const std::string& field, const List& value) {
  InputValue v;
  v.kind = InputValue::Kind::List;
  for (const Record& r : value) v.records.push_back(r.data_);
  own().set(field, std::move(v));
  return *this;
}

std::string Record::toJson() const {
  std::string out;
  appendJson(out, *data_);
  return out;
}

}  // namespace daliz::api
