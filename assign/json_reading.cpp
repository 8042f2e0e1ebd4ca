#include "assign/json_reading.h"

namespace daliz::assign::json {

namespace {
std::string expected(std::string_view what, std::string_view form) {
  std::string e(what);
  e += ": expected ";
  e += form;
  return e;
}
}  // namespace

std::string readString(od::value v, std::string_view what, std::string& out) {
  std::string_view s;
  if (v.get_string().get(s)) return expected(what, "a string");
  out.assign(s);
  return {};
}

std::string readCount(od::value v, std::string_view what, uint64_t& out) {
  if (v.get_uint64().get(out)) return expected(what, "a whole number, 0 or more");
  return {};
}

std::string readBool(od::value v, std::string_view what, bool& out) {
  if (v.get_bool().get(out)) return expected(what, "true or false");
  return {};
}

std::string readStrings(od::value v, std::string_view what, std::vector<std::string>& out) {
  od::array array;
  if (v.get_array().get(array)) return expected(what, "an array of strings");
  out.clear();
  for (auto element : array) {
    std::string_view s;
    if (element.get_string().get(s)) return expected(what, "an array of strings");
    out.emplace_back(s);
  }
  return {};
}

}  // namespace daliz::assign::json
