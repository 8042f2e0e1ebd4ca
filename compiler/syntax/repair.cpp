// Repairs of the mistakes analysts make before the lexer sees the text (repair.h). Each rule
// reports one error with a help line and its fix-it, then hands the lexer what was meant.
#include "compiler/syntax/repair.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <map>

#include "compiler/syntax/utf8.h"

namespace daliz {
namespace {

struct Named {
  char32_t c;
  char latin;  // the Latin look-alike of a Cyrillic letter, or 0
  const char* name;
};

constexpr Named kNamed[] = {
    {U'\u0410', 'A', "CYRILLIC CAPITAL LETTER A"},
    {U'\u0412', 'B', "CYRILLIC CAPITAL LETTER VE"},
    {U'\u0415', 'E', "CYRILLIC CAPITAL LETTER IE"},
    {U'\u041A', 'K', "CYRILLIC CAPITAL LETTER KA"},
    {U'\u041C', 'M', "CYRILLIC CAPITAL LETTER EM"},
    {U'\u041D', 'H', "CYRILLIC CAPITAL LETTER EN"},
    {U'\u041E', 'O', "CYRILLIC CAPITAL LETTER O"},
    {U'\u0420', 'P', "CYRILLIC CAPITAL LETTER ER"},
    {U'\u0421', 'C', "CYRILLIC CAPITAL LETTER ES"},
    {U'\u0422', 'T', "CYRILLIC CAPITAL LETTER TE"},
    {U'\u0423', 'Y', "CYRILLIC CAPITAL LETTER U"},
    {U'\u0425', 'X', "CYRILLIC CAPITAL LETTER HA"},
    {U'\u0405', 'S', "CYRILLIC CAPITAL LETTER DZE"},
    {U'\u0406', 'I', "CYRILLIC CAPITAL LETTER BYELORUSSIAN-UKRAINIAN I"},
    {U'\u0408', 'J', "CYRILLIC CAPITAL LETTER JE"},
    {U'\u04AE', 'Y', "CYRILLIC CAPITAL LETTER STRAIGHT U"},
    {U'\u04BA', 'H', "CYRILLIC CAPITAL LETTER SHHA"},
    {U'\u0430', 'a', "CYRILLIC SMALL LETTER A"},
    {U'\u0435', 'e', "CYRILLIC SMALL LETTER IE"},
    {U'\u043E', 'o', "CYRILLIC SMALL LETTER O"},
    {U'\u0440', 'p', "CYRILLIC SMALL LETTER ER"},
    {U'\u0441', 'c', "CYRILLIC SMALL LETTER ES"},
    {U'\u0443', 'y', "CYRILLIC SMALL LETTER U"},
    {U'\u0445', 'x', "CYRILLIC SMALL LETTER HA"},
    {U'\u043A', 'k', "CYRILLIC SMALL LETTER KA"},
    {U'\u0455', 's', "CYRILLIC SMALL LETTER DZE"},
    {U'\u0456', 'i', "CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I"},
    {U'\u0458', 'j', "CYRILLIC SMALL LETTER JE"},
    {U'\u04BB', 'h', "CYRILLIC SMALL LETTER SHHA"},
    {U'\u04AF', 'y', "CYRILLIC SMALL LETTER STRAIGHT U"},
    {U'\u200B', 0, "ZERO WIDTH SPACE"},
    {U'\u200C', 0, "ZERO WIDTH NON-JOINER"},
    {U'\u200D', 0, "ZERO WIDTH JOINER"},
    {U'\u2060', 0, "WORD JOINER"},
    {U'\uFEFF', 0, "ZERO WIDTH NO-BREAK SPACE"},
    {U'\u00AD', 0, "SOFT HYPHEN"},
    {U'\u00A0', 0, "NO-BREAK SPACE"},
    {U'\u202F', 0, "NARROW NO-BREAK SPACE"},
    {U'\u2007', 0, "FIGURE SPACE"},
    {U'\u2009', 0, "THIN SPACE"},
    {U'\u3000', 0, "IDEOGRAPHIC SPACE"},
    {U'\u201C', 0, "LEFT DOUBLE QUOTATION MARK"},
    {U'\u201D', 0, "RIGHT DOUBLE QUOTATION MARK"},
    {U'\u201E', 0, "DOUBLE LOW-9 QUOTATION MARK"},
    {U'\u00AB', 0, "LEFT-POINTING DOUBLE ANGLE QUOTATION MARK"},
    {U'\u00BB', 0, "RIGHT-POINTING DOUBLE ANGLE QUOTATION MARK"},
    {U'\u2018', 0, "LEFT SINGLE QUOTATION MARK"},
    {U'\u2019', 0, "RIGHT SINGLE QUOTATION MARK"},
};

const Named* named(char32_t c) {
  for (const Named& n : kNamed)
    if (n.c == c) return &n;
  return nullptr;
}

bool isZeroWidth(char32_t c) {
  return c == U'\u200B' || c == U'\u200C' || c == U'\u200D' || c == U'\u2060' || c == U'\uFEFF' ||
         c == U'\u00AD';
}
bool isOddSpace(char32_t c) {
  return c == U'\u00A0' || c == U'\u202F' || c == U'\u205F' || c == U'\u3000' ||
         (c >= U'\u2000' && c <= U'\u200A');
}
bool isTypographicQuote(char32_t c) {
  return c == U'\u201C' || c == U'\u201D' || c == U'\u201E' || c == U'\u00AB' || c == U'\u00BB' ||
         c == U'\u2018' || c == U'\u2019';
}
bool isCyrillic(char32_t c) { return c >= 0x400 && c <= 0x4FF; }
bool isLatin(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool isDigit(char32_t c) { return c >= '0' && c <= '9'; }
bool isWordChar(char32_t c) { return isLatin(c) || isDigit(c) || c == '_' || isCyrillic(c); }

// Lower-case Latin transliteration of a Cyrillic (Russian or Kazakh) letter.
std::string translit(char32_t c) {
  if (c >= 0x410 && c <= 0x42F) c += 0x20;
  if (c >= 0x400 && c <= 0x40F) c += 0x50;
  static const char* const kRu[] = {"a",  "b",  "v",  "g",    "d", "e", "zh", "z", "i",  "y", "k",
                                    "l",  "m",  "n",  "o",    "p", "r", "s",  "t", "u",  "f", "kh",
                                    "ts", "ch", "sh", "shch", "",  "y", "",   "e", "yu", "ya"};
  if (c >= 0x430 && c <= 0x44F) return kRu[c - 0x430];
  switch (c) {
    case 0x451:
      return "e";
    case 0x456:
    case 0x406:
      return "i";
    case 0x4D9:
    case 0x4D8:
      return "a";
    case 0x493:
    case 0x492:
      return "g";
    case 0x49B:
    case 0x49A:
      return "q";
    case 0x4A3:
    case 0x4A2:
      return "n";
    case 0x4E9:
    case 0x4E8:
      return "o";
    case 0x4B1:
    case 0x4B0:
    case 0x4AF:
    case 0x4AE:
      return "u";
    case 0x4BB:
    case 0x4BA:
      return "h";
    default:
      return "";
  }
}

const std::vector<std::string>& keywords() {
  static const std::vector<std::string> k = {
      "enum",    "record",  "root",        "measure",  "set",        "table",  "from",  "indicator",
      "profile", "title",   "area",        "level",    "valid",      "status", "scope", "item",
      "sample",  "let",     "when",        "measures", "reason",     "test",   "given", "expect",
      "no",      "hit",     "declaration", "and",      "or",         "not",    "in",    "is",
      "missing", "present", "true",        "false",    "categorize", "by",     "per",
      "notice",  "plan"};
  return k;
}
bool isKeyword(const std::string& w) {
  return std::find(keywords().begin(), keywords().end(), w) != keywords().end();
}
bool isNullWord(const std::string& w) {
  return w == "null" || w == "NULL" || w == "Null" || w == "nil" || w == "None" || w == "NONE";
}

const std::vector<std::string>& clauseWords() {
  static const std::vector<std::string> k = {"title",  "area",     "level",  "valid",
                                             "status", "scope",    "sample", "let",
                                             "when",   "measures", "reason"};
  return k;
}

// The clause an analyst meant by `word` at the start of a profile clause, or "".
std::string clauseFor(const std::string& word) {
  static const std::map<std::string, std::string> kSynonyms = {
      {"where", "when"},        {"if", "when"},         {"condition", "when"},
      {"cond", "when"},         {"filter", "when"},     {"whenever", "when"},
      {"measure", "measures"},  {"action", "measures"}, {"actions", "measures"},
      {"then", "measures"},     {"apply", "measures"},  {"name", "title"},
      {"description", "title"}, {"label", "title"},     {"priority", "level"},
      {"severity", "level"},    {"risk", "level"},      {"risk_level", "level"},
      {"validity", "valid"},    {"period", "valid"},    {"state", "status"},
      {"sampling", "sample"},   {"message", "reason"},  {"explanation", "reason"},
      {"because", "reason"},    {"var", "let"},         {"define", "let"},
      {"set", "let"},           {"topic", "area"},      {"risk_area", "area"},
      {"Where", "when"},        {"WHEN", "when"},       {"WHERE", "when"},
      {"MEASURES", "measures"}};
  if (auto it = kSynonyms.find(word); it != kSynonyms.end()) return it->second;
  if (std::find(clauseWords().begin(), clauseWords().end(), word) != clauseWords().end()) return "";
  return closestMatch(word, clauseWords());
}

char32_t lower(char32_t c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

std::string hex(char32_t c) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(c));
  return buf;
}

class Repairer {
 public:
  Repairer(std::string_view utf8, uint32_t file, uint32_t base, const RepairReport& report)
      : file_(file), base_(base), report_(report) {
    uint32_t first = utf8.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
    cp_ = decodeUtf8(utf8.substr(first));
    for (uint32_t i = first; i < utf8.size(); ++i)
      if ((static_cast<unsigned char>(utf8[i]) & 0xC0) != 0x80) off_.push_back(i);
    off_.push_back(static_cast<uint32_t>(utf8.size()));
  }

  RepairedText run() {
    size_t n = cp_.size();
    for (size_t i = 0; i < n;) {
      if (auto it = replace_.find(i); it != replace_.end()) {
        emit(it->second.second, i);
        if (it->second.second == U"}" && !stack_.empty()) stack_.pop_back();
        lastTok_ = "x";
        i = it->second.first;
        continue;
      }
      if (auto it = insert_.find(i); it != insert_.end()) emit(it->second, i);
      i = step(i);
    }
    r_.byteOf.push_back(off_.back());
    return std::move(r_);
  }

 private:
  char32_t at(size_t i) const { return i < cp_.size() ? cp_[i] : 0; }
  SourceRange range(size_t i, size_t j) const {
    return {file_, base_ + off_[std::min(i, off_.size() - 1)],
            base_ + off_[std::min(j, off_.size() - 1)]};
  }
  FixIt fix(size_t i, size_t j, std::string text) const { return {range(i, j), std::move(text)}; }
  std::string utf8(size_t i, size_t j) const {
    return encodeUtf8(std::u32string_view(cp_).substr(i, j - i));
  }
  void emit(char32_t c, size_t at) {
    r_.text.push_back(c);
    r_.byteOf.push_back(off_[at]);
  }
  void emit(std::u32string_view s, size_t at) {
    for (char32_t c : s) emit(c, at);
  }
  void emit(const std::string& s, size_t at) { emit(std::u32string_view(decodeUtf8(s)), at); }
  void copy(size_t i, size_t j) {
    for (size_t k = i; k < j; ++k) emit(cp_[k], k);
  }
  Diagnostic* error(Diag id, size_t i, size_t j, std::vector<std::string> args = {}) {
    return report_(id, range(i, j), std::move(args));
  }
  size_t wordEnd(size_t i) const {
    while (i < cp_.size() && isWordChar(cp_[i])) ++i;
    return i;
  }
  size_t skipBlank(size_t i) const {
    while (i < cp_.size() && (cp_[i] == ' ' || cp_[i] == '\t')) ++i;
    return i;
  }
  size_t lineEnd(size_t i) const {
    while (i < cp_.size() && cp_[i] != '\n' && !(cp_[i] == '/' && at(i + 1) == '/')) ++i;
    return i;
  }
  static bool operatorBefore(const std::string& lastTok) {
    static const std::vector<std::string> kOps = {
        "and", "or", "not", "in", "is", "=", "==", "!=", "<", "<=",  ">",   ">=",
        "+",   "-",  "*",   "/",  "(",  ",", "[",  "?",  ":", "let", "when"};
    return std::find(kOps.begin(), kOps.end(), lastTok) != kOps.end();
  }
  char innermost() const { return stack_.empty() ? 0 : stack_.back(); }

  size_t step(size_t i) {
    char32_t c = cp_[i];
    if (lineComment_) {
      if (c == '\n') lineComment_ = false, atLineStart_ = true;
      emit(c, i);
      return i + 1;
    }
    if (blockComment_) {
      if (c == '*' && at(i + 1) == '/') {
        blockComment_ = false;
        copy(i, i + 2);
        return i + 2;
      }
      emit(c, i);
      return i + 1;
    }
    if (inString_) return stringStep(i);
    if (isZeroWidth(c) || isOddSpace(c)) return invisible(i);
    if (c == '/' && at(i + 1) == '/') {
      lineComment_ = true;
      copy(i, i + 2);
      return i + 2;
    }
    if (c == '/' && at(i + 1) == '*') {
      blockComment_ = true;
      copy(i, i + 2);
      return i + 2;
    }
    if (c == '\n') {
      atLineStart_ = true;
      emit(c, i);
      return i + 1;
    }
    if (c == ' ' || c == '\t' || c == '\r') {
      emit(c, i);
      return i + 1;
    }
    bool lineStart = atLineStart_;
    atLineStart_ = false;
    if (c == '"') {
      inString_ = true;
      stringClose_ = SIZE_MAX;
      emit(c, i);
      lastTok_ = "\"";
      return i + 1;
    }
    if (isTypographicQuote(c) || c == '\'') return quote(i);
    if (isWordChar(c) && !isDigit(c)) return word(i, lineStart);
    if (isDigit(c)) return number(i);
    return punctuation(i);
  }

  size_t stringStep(size_t i) {
    char32_t c = cp_[i];
    if (i == stringClose_) {
      emit(U'"', i);
      inString_ = false;
      return i + 1;
    }
    if (stringClose_ == SIZE_MAX && c == '"') {
      emit(c, i);
      inString_ = false;
      return i + 1;
    }
    if (c == '\n') {
      inString_ = false;
      atLineStart_ = true;
      emit(c, i);
      return i + 1;
    }
    if (c == '\\' && i + 1 < cp_.size()) {
      copy(i, i + 2);
      return i + 2;
    }
    if (isZeroWidth(c)) return invisible(i);
    if (isWordChar(c) && !isDigit(c)) {
      size_t j = wordEnd(i);
      if (!mixedScript(i, j, /*inString=*/true)) copy(i, j);
      return j;
    }
    emit(c, i);
    return i + 1;
  }

  size_t invisible(size_t i) {
    size_t j = i;
    while (j < cp_.size() && (isZeroWidth(cp_[j]) || isOddSpace(cp_[j]))) ++j;
    const Named* nm = named(cp_[i]);
    std::string name = hex(cp_[i]) + (nm ? std::string(" ") + nm->name : "");
    bool zeroWidth = isZeroWidth(cp_[i]);
    if (auto* d = error(Diag::InvisibleCharacter, i, j, {name}))
      d->withHelp(zeroWidth ? Diag::HelpDelete : Diag::HelpOrdinarySpace, {},
                  {fix(i, j, zeroWidth ? "" : " ")});
    if (!zeroWidth) emit(U' ', i);
    return j;
  }

  size_t quote(size_t i) {
    char32_t open = cp_[i];
    size_t j = i + 1;
    while (j < cp_.size() && cp_[j] != '\n' &&
           !(open == '\'' ? cp_[j] == '\'' : (isTypographicQuote(cp_[j]) || cp_[j] == '"')))
      ++j;
    if (j >= cp_.size() || cp_[j] == '\n') {
      if (open == '\'') {  // a lone apostrophe: the lexer reports it
        emit(open, i);
        return i + 1;
      }
      j = SIZE_MAX;
    }
    std::string inner = j == SIZE_MAX ? "" : utf8(i + 1, j);
    std::vector<FixIt> fixes = {fix(i, i + 1, "\"")};
    if (j != SIZE_MAX) fixes.push_back(fix(j, j + 1, "\""));
    Diagnostic* d;
    if (open == '\'') {
      d = error(Diag::SingleQuotes, i, j + 1);
    } else {
      const Named* nm = named(open);
      d = error(Diag::TypographicQuote, i, i + 1,
                {encodeUtf8(std::u32string(1, open)),
                 hex(open) + (nm ? std::string(" ") + nm->name : "")});
    }
    if (d) d->withHelp(Diag::HelpWrite, {"\"" + inner + "\""}, std::move(fixes));
    emit(U'"', i);
    inString_ = true;
    stringClose_ = j;
    lastTok_ = "\"";
    return i + 1;
  }

  // A word mixing Cyrillic and Latin letters: a Cyrillic look-alike typed in a Latin word
  // (the Russian or Kazakh keyboard layout). Reports it and emits the Latin word.
  bool mixedScript(size_t i, size_t j, bool inString) {
    bool cyr = false, latin = false, allLookalike = true;
    size_t first = SIZE_MAX;
    std::string fixed;
    for (size_t k = i; k < j; ++k) {
      if (isCyrillic(cp_[k])) {
        cyr = true;
        if (first == SIZE_MAX) first = k;
        const Named* nm = named(cp_[k]);
        if (nm == nullptr || nm->latin == 0)
          allLookalike = false;
        else
          fixed += nm->latin;
      } else {
        if (isLatin(cp_[k])) latin = true;
        fixed += static_cast<char>(cp_[k]);
      }
    }
    if (!cyr) return false;
    if (latin && allLookalike) {
      const Named* nm = named(cp_[first]);
      if (auto* d = error(Diag::LookalikeLetter, first, first + 1,
                          {utf8(first, first + 1), utf8(i, j), hex(cp_[first]) + " " + nm->name,
                           std::string(1, nm->latin)}))
        d->withHelp(Diag::HelpWrite, {fixed}, {fix(i, j, fixed)});
      for (size_t k = 0; k < fixed.size(); ++k) emit(static_cast<char32_t>(fixed[k]), i + k);
      if (!inString) lastTok_ = fixed;
      return true;
    }
    if (inString) return false;
    // A name in Cyrillic: one error for the name (once per file), none for its letters.
    std::u32string w = cp_.substr(i, j - i);
    std::string suggestion;
    for (char32_t c : w)
      suggestion += isCyrillic(c) ? translit(c) : std::string(1, static_cast<char>(lower(c)));
    if (reportedNames_.insert(w).second)
      if (auto* d = error(Diag::NonLatinIdentifier, i, j, {utf8(i, j)}))
        d->withHelp(Diag::HelpNameInLatin, {suggestion});
    for (size_t k = i; k < j; ++k) {
      r_.silenced.insert(static_cast<uint32_t>(r_.text.size()));
      emit(cp_[k], k);
    }
    lastTok_ = "x";
    return true;
  }

  std::string wordAt(size_t i) const {
    return i < cp_.size() && isWordChar(cp_[i]) ? utf8(i, wordEnd(i)) : "";
  }

  size_t word(size_t i, bool lineStart) {
    size_t j = wordEnd(i);
    if (mixedScript(i, j, false)) return j;
    std::string w = utf8(i, j);
    bool afterDot = lastTok_ == ".";
    std::string before = lastTok_;
    lastTok_ = w;
    if (afterDot) {
      copy(i, j);
      return j;
    }
    static const std::vector<std::string> kCaps = {"AND",  "OR",    "NOT",     "IN",      "IS",
                                                   "TRUE", "FALSE", "MISSING", "PRESENT", "And",
                                                   "Or",   "Not",   "True",    "False"};
    if (std::find(kCaps.begin(), kCaps.end(), w) != kCaps.end()) {
      std::string low;
      for (char ch : w) low += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      if (auto* d = error(Diag::CapitalKeyword, i, j, {w}))
        d->withHelp(Diag::HelpWrite, {low}, {fix(i, j, low)});
      emit(low, i);
      lastTok_ = low;
      return j;
    }
    if (w == "is") {
      size_t k = skipBlank(j);
      std::string next = wordAt(k);
      if (next == "not") {
        size_t m = skipBlank(k + 3);
        std::string what = wordAt(m);
        bool null = isNullWord(what);
        if (what == "missing" || what == "present" || null) {
          std::string is = what == "present" ? "present" : "missing";
          std::string opposite = is == "missing" ? "present" : "missing";
          size_t e = m + what.size();
          if (auto* d = error(Diag::IsNotForm, k, e, {is, opposite}))
            d->withHelp(Diag::HelpWrite, {"is " + opposite}, {fix(k, e, opposite)});
          copy(i, k);
          emit(opposite, k);
          lastTok_ = opposite;
          return e;
        }
      } else if (isNullWord(next)) {
        size_t e = k + next.size();
        if (auto* d = error(Diag::NullValue, k, e))
          d->withHelp(Diag::HelpWrite, {"is missing"}, {fix(k, e, "missing")});
        copy(i, k);
        emit("missing", k);
        lastTok_ = "missing";
        return e;
      }
    }
    if (stack_.empty() && (w == "profile" || w == "test" || w == "categorize" || w == "plan")) {
      copy(i, j);
      size_t k = skipBlank(j);
      if (k < cp_.size() && (isWordChar(cp_[k]) || cp_[k] == '-')) {
        size_t m = k;
        while (m < cp_.size() && cp_[m] != '{' && cp_[m] != '\n' && cp_[m] != '"') ++m;
        size_t e = m;
        while (e > k && (cp_[e - 1] == ' ' || cp_[e - 1] == '\t')) --e;
        if (at(m) == '{') {
          std::string id = utf8(k, e);
          if (auto* d = error(Diag::UnquotedProfileId, k, e, {w}))
            d->withHelp(Diag::HelpWrite, {w + " \"" + id + "\""},
                        {fix(k, k, "\""), fix(e, e, "\"")});
          copy(j, k);
          emit(U'"', k);
          copy(k, e);
          emit(U'"', e);
          lastTok_ = "\"";
          topKeyword_ = w;
          return e;
        }
      }
      topKeyword_ = w;
      return j;
    }
    if (stack_.empty() && isKeyword(w)) topKeyword_ = w;
    bool clause = lineStart && stack_.size() == 1 && !operatorBefore(before);
    if (clause && topKeyword_ == "profile") {
      if (w == "corridor") {
        size_t k = skipBlank(j);
        std::string corridor = wordAt(k);
        static const std::map<std::string, std::string> kMeasure = {{"red", "customs_inspection"},
                                                                    {"yellow", "documentary_check"},
                                                                    {"blue", "post_release_audit"}};
        if (auto it = kMeasure.find(corridor); it != kMeasure.end()) {
          size_t e = k + corridor.size();
          if (auto* d =
                  error(Diag::UnknownClause, i, j,
                        {w, ": a profile names its measures, and the corridor follows from them"}))
            d->withHelp(Diag::HelpWrite, {"measures " + it->second},
                        {fix(i, e, "measures " + it->second)});
          emit("measures " + it->second, i);
          lastTok_ = it->second;
          return e;
        }
      }
      std::string mapped = !isKeyword(w) || w == "measure" || w == "set" ? clauseFor(w) : "";
      if (!mapped.empty()) {
        if (auto* d = error(Diag::UnknownClause, i, j, {w, "; did you mean `" + mapped + "`?"}))
          d->withHelp(Diag::HelpWrite, {mapped}, {fix(i, j, mapped)});
        emit(mapped, i);
        lastTok_ = mapped;
        w = mapped;
      } else {
        copy(i, j);
      }
      if (w == "measures") measuresCommas(j);
      if (w == "scope") scopeWord(j);
      if (w == "let") letName(j);
      if (w == "valid") return validRange(j);
      return j;
    }
    if (clause && topKeyword_ == "test" && w == "expect") {
      size_t k = skipBlank(j);
      std::string next = wordAt(k);
      if (isKeyword(next) && next != "no" && next != "hit" && next != "measures") {
        if (auto* d = error(Diag::ExpectWhat, k, k + next.size(), {next}))
          d->withHelp(Diag::HelpExpectForms);
        size_t e = lineEnd(j);
        for (size_t m = i; m < e; ++m)
          emit(U' ', m);  // the line is dropped: nothing follows from it
        return e;
      }
    }
    copy(i, j);
    return j;
  }

  // `measures a b`: the comma between two measures is missing.
  void measuresCommas(size_t j) {
    size_t e = lineEnd(j);
    size_t prevEnd = SIZE_MAX;
    bool reported = false;
    for (size_t k = skipBlank(j); k < e;) {
      if (isWordChar(cp_[k])) {
        size_t m = wordEnd(k);
        if (prevEnd != SIZE_MAX) {
          std::string a = utf8(lastStart_, prevEnd), b = utf8(k, m);
          if (!reported)
            if (auto* d = error(Diag::ExpectedToken, k, m, {"`,` between measures", "`" + b + "`"}))
              d->withHelp(Diag::HelpWrite, {a + ", " + b}, {fix(prevEnd, prevEnd, ",")});
          reported = true;
          insert_[prevEnd] = std::u32string(1, U',');
        }
        lastStart_ = k;
        prevEnd = m;
        k = skipBlank(m);
      } else if (cp_[k] == ',') {
        prevEnd = SIZE_MAX;
        k = skipBlank(k + 1);
      } else {
        return;
      }
    }
  }

  void scopeWord(size_t j) {
    size_t k = skipBlank(j);
    std::string w = wordAt(k);
    static const std::map<std::string, std::string> kScopes = {{"items", "item"},
                                                               {"goods", "item"},
                                                               {"each", "item"},
                                                               {"Item", "item"},
                                                               {"declarations", "declaration"},
                                                               {"Declaration", "declaration"}};
    auto it = kScopes.find(w);
    if (it == kScopes.end()) return;
    size_t e = k + w.size();
    if (auto* d = error(Diag::ExpectedToken, k, e, {"`item` or `declaration`", "`" + w + "`"}))
      d->withHelp(Diag::HelpWrite, {"scope " + it->second + (it->second == "item" ? " i" : "")},
                  {fix(k, e, it->second)});
    replace_[k] = {e, decodeUtf8(it->second)};
  }

  void letName(size_t j) {
    size_t k = skipBlank(j);
    std::string w = wordAt(k);
    if (!isKeyword(w)) return;
    size_t e = k + w.size();
    if (auto* d = error(Diag::KeywordAsName, k, e, {w}))
      d->withHelp(Diag::HelpChooseName, {w + "_value"}, {fix(k, e, w + "_value")});
    replace_[k] = {e, decodeUtf8(w + "_value")};
  }

  // A date at i in any of the forms analysts write: YYYY-MM-DD, DD.MM.YYYY, DD/MM/YYYY,
  // YYYY.MM.DD. Returns its end (0: none) and the ISO form.
  size_t dateAt(size_t i, std::string& iso) const {
    auto digits = [&](size_t k) {
      size_t e = k;
      while (e < cp_.size() && isDigit(cp_[e])) ++e;
      return e;
    };
    size_t a = digits(i);
    if (a == i) return 0;
    char32_t sep = at(a);
    if (sep != '.' && sep != '/' && sep != '-') return 0;
    size_t b = digits(a + 1);
    if (b == a + 1 || at(b) != sep) return 0;
    size_t c = digits(b + 1);
    if (c == b + 1 || isWordChar(at(c))) return 0;
    std::string p1 = utf8(i, a), p2 = utf8(a + 1, b), p3 = utf8(b + 1, c);
    std::string y, m, d;
    if (sep == '-' && (p1.size() != 4 || p2.size() != 2 || p3.size() != 2))
      return 0;  // subtraction
    if (p1.size() <= 2 && p2.size() <= 2 && p3.size() == 4 && sep != '-')
      y = p3, m = p2, d = p1;
    else if (p1.size() == 4 && p2.size() <= 2 && p3.size() <= 2)
      y = p1, m = p2, d = p3;
    else
      return 0;
    int mi = std::stoi(m), di = std::stoi(d);
    if (mi < 1 || mi > 12 || di < 1 || di > 31) return 0;
    iso = y + "-" + (m.size() == 1 ? "0" : "") + m + "-" + (d.size() == 1 ? "0" : "") + d;
    return c;
  }

  // `valid from A to B`, `valid A - B`, `valid A to B`: one error, at the first wrong word.
  size_t validRange(size_t j) {
    size_t e = lineEnd(j);
    struct Unit {
      size_t begin, end;
      std::string iso;  // a date
    };
    std::vector<Unit> units;
    for (size_t k = skipBlank(j); k < e;) {
      std::string iso;
      if (size_t d = dateAt(k, iso)) {
        units.push_back({k, d, iso});
        k = skipBlank(d);
      } else if (isWordChar(cp_[k])) {
        size_t m = wordEnd(k);
        units.push_back({k, m, ""});
        k = skipBlank(m);
      } else {
        size_t m = k + 1;
        while (m < e && !isWordChar(cp_[m]) && cp_[m] != ' ' && cp_[m] != '\t') ++m;
        units.push_back({k, m, ""});
        k = skipBlank(m);
      }
    }
    std::vector<size_t> dates;
    for (size_t u = 0; u < units.size(); ++u)
      if (!units[u].iso.empty()) dates.push_back(u);
    static const std::vector<std::string> kFillers = {
        "from", "to", "until", "till", "through", "thru", "between", "and",
        "-",    "–",  "—",     "...",  "..",      ",",    ":",       "—"};
    bool shaped = dates.size() == 2;
    for (size_t u = 0; shaped && u < units.size(); ++u)
      if (units[u].iso.empty() && std::find(kFillers.begin(), kFillers.end(),
                                            utf8(units[u].begin, units[u].end)) == kFillers.end())
        shaped = false;
    bool canonical = units.size() == 3 && dates.size() == 2 && dates[0] == 0 && dates[1] == 2 &&
                     utf8(units[1].begin, units[1].end) == "..";
    if (!shaped || canonical) return j;
    size_t wrong = !units[0].iso.empty() ? 1 : 0;
    std::string found = "`" + utf8(units[wrong].begin, units[wrong].end) + "`";
    const Unit& d1 = units[dates[0]];
    const Unit& d2 = units[dates[1]];
    std::string canon = d1.iso + " .. " + d2.iso;
    if (auto* d =
            error(Diag::ExpectedToken, units[wrong].begin, units[wrong].end,
                  {wrong == 0 ? "a date after `valid`" : "`..` between the two dates", found}))
      d->withHelp(Diag::HelpWrite, {"valid " + canon}, {fix(units[0].begin, d2.end, canon)});
    copy(j, units[0].begin);
    emit(d1.iso, d1.begin);
    emit(" .. ", d1.end);
    emit(d2.iso, d2.begin);
    lastTok_ = "0";
    return d2.end;
  }

  size_t number(size_t i) {
    lastTok_ = "0";
    std::string iso;
    if (size_t e = dateAt(i, iso)) {
      if (at(i + 4) == '-' && e - i == 10) {  // already YYYY-MM-DD
        copy(i, e);
        return e;
      }
      if (auto* d = error(Diag::DayFirstDate, i, e, {utf8(i, e)}))
        d->withHelp(Diag::HelpWrite, {iso}, {fix(i, e, iso)});
      emit(iso, i);
      return e;
    }
    size_t j = i;
    while (isDigit(at(j))) ++j;
    char ctx = innermost();
    bool ambiguous = ctx == '(' || ctx == '[' || ctx == 'S';
    std::string text;
    if (at(j) == ',' && isDigit(at(j + 1)) && !ambiguous) {
      size_t k = j + 1;
      while (isDigit(at(k))) ++k;
      if (k - j - 1 == 3 && at(k) == ',' && isDigit(at(k + 1))) {  // 1,000,000
        size_t e = k;
        while (at(e) == ',' && isDigit(at(e + 1)) && isDigit(at(e + 2)) && isDigit(at(e + 3)) &&
               !isDigit(at(e + 4)))
          e += 4;
        std::string plain;
        for (size_t m = i; m < e; ++m)
          if (cp_[m] != ',') plain += static_cast<char>(cp_[m]);
        if (auto* d = error(Diag::ThousandsSeparator, i, e, {utf8(i, e)}))
          d->withHelp(Diag::HelpWrite, {plain}, {fix(i, e, plain)});
        for (size_t m = i; m < e; ++m)
          if (cp_[m] != ',') emit(cp_[m], m);
        return e;
      }
      std::string fixed = utf8(i, j) + "." + utf8(j + 1, k);
      if (auto* d = error(Diag::DecimalComma, i, k, {utf8(i, k)}))
        d->withHelp(Diag::HelpWrite, {fixed}, {fix(j, j + 1, ".")});
      copy(i, j);
      emit(U'.', j);
      copy(j + 1, k);
      j = k;
    } else {
      if (at(j) == '.' && isDigit(at(j + 1))) {
        ++j;
        while (isDigit(at(j))) ++j;
      }
      copy(i, j);
    }
    size_t p = skipBlank(j);
    if (p > j && at(p) == '%') {
      std::string fixed = utf8(i, j) + "%";
      if (auto* d = error(Diag::SpaceBeforePercent, i, p + 1, {utf8(i, p + 1)}))
        d->withHelp(Diag::HelpWrite, {fixed}, {fix(j, p, "")});
      emit(U'%', p);
      return p + 1;
    }
    return j;
  }

  // `[` … `]` with no bracket inside, on the way to its `]`.
  bool flatList(size_t i) const {
    bool str = false;
    for (size_t k = i + 1; k < cp_.size(); ++k) {
      if (cp_[k] == '"') str = !str;
      if (str) continue;
      if (cp_[k] == '[' || cp_[k] == '{' || cp_[k] == '}' || cp_[k] == ')') return false;
      if (cp_[k] == ']') return true;
    }
    return false;
  }

  size_t punctuation(size_t i) {
    char32_t c = cp_[i], d = at(i + 1);
    // `= null`, `== null`, `!= null`, `<> null`
    size_t opLen = 0;
    bool negated = false;
    if (c == '=' && d == '=')
      opLen = 2;
    else if ((c == '!' && d == '=') || (c == '<' && d == '>'))
      opLen = 2, negated = true;
    else if (c == '=' && d != '<' && d != '>')
      opLen = 1;
    if (opLen > 0 && lastTok_ != "let") {
      size_t k = skipBlank(i + opLen);
      std::string w = wordAt(k);
      if (isNullWord(w)) {
        size_t e = k + w.size();
        std::string with = negated ? "is present" : "is missing";
        if (auto* dg = error(Diag::NullValue, i, e))
          dg->withHelp(Diag::HelpWrite, {with}, {fix(i, e, with)});
        emit(with, i);
        lastTok_ = "missing";
        return e;
      }
    }
    struct Foreign {
      const char32_t* spelt;
      const char* meant;
    };
    static const Foreign kForeign[] = {{U"<>", "!="},     {U"=>", ">="},    {U"=<", "<="},
                                       {U"&&", "and"},    {U"||", "or"},    {U"\u2260", "!="},
                                       {U"\u2264", "<="}, {U"\u2265", ">="}};
    for (const Foreign& f : kForeign) {
      std::u32string_view s(f.spelt);
      if (std::u32string_view(cp_).substr(i, s.size()) != s) continue;
      size_t e = i + s.size();
      if (auto* dg = error(Diag::ForeignOperator, i, e, {encodeUtf8(s)}))
        dg->withHelp(Diag::HelpWrite, {f.meant}, {fix(i, e, f.meant)});
      std::string meant = f.meant;
      bool word = isLatin(static_cast<char32_t>(meant[0]));
      emit(word ? " " + meant + " " : meant, i);
      lastTok_ = meant;
      return e;
    }
    if (c == '!' && d != '=') {
      if (auto* dg = error(Diag::ForeignOperator, i, i + 1, {"!"}))
        dg->withHelp(Diag::HelpWrite, {"not"}, {fix(i, i + 1, "not ")});
      emit("not ", i);
      lastTok_ = "not";
      return i + 1;
    }
    if (c == '[' && flatList(i) &&
        (lastTok_ == "in" || (lastTok_ == "=" && topKeyword_ == "set" && stack_.empty()))) {
      size_t k = i + 1;
      bool str = false;
      for (; k < cp_.size(); ++k) {
        if (cp_[k] == '"') str = !str;
        if (str) continue;
        if (cp_[k] == '[' || cp_[k] == '{' || cp_[k] == '}') k = cp_.size();  // not a flat list
        if (k < cp_.size() && cp_[k] == ']') break;
      }
      std::vector<FixIt> fixes = {fix(i, i + 1, "{")};
      std::string shown = "{ … }";
      if (k < cp_.size()) {
        fixes.push_back(fix(k, k + 1, "}"));
        std::string inner = utf8(i + 1, k);
        if (inner.size() <= 60 && inner.find('\n') == std::string::npos) shown = "{" + inner + "}";
        replace_[k] = {k + 1, std::u32string(1, U'}')};
      }
      if (auto* dg = error(Diag::ListBrackets, i, i + 1))
        dg->withHelp(Diag::HelpWrite, {shown}, std::move(fixes));
      emit(U'{', i);
      stack_.push_back('S');
      lastTok_ = "{";
      return i + 1;
    }
    if (c == '(' || c == '[') stack_.push_back(static_cast<char>(c));
    if (c == '{') stack_.push_back(lastTok_ == "=" || lastTok_ == "in" ? 'S' : '{');
    if ((c == ')' || c == ']' || c == '}') && !stack_.empty()) stack_.pop_back();
    emit(c, i);
    lastTok_ = std::string(1, static_cast<char>(c < 128 ? c : '?'));
    if (c == '=' && d == '=') {
      emit(d, i + 1);
      lastTok_ = "==";
      return i + 2;
    }
    return i + 1;
  }

  uint32_t file_, base_;
  const RepairReport& report_;
  std::u32string cp_;
  std::vector<uint32_t> off_;
  RepairedText r_;
  bool lineComment_ = false, blockComment_ = false, inString_ = false, atLineStart_ = true;
  size_t stringClose_ = SIZE_MAX, lastStart_ = 0;
  std::string lastTok_, topKeyword_;
  std::vector<char> stack_;
  std::set<std::u32string> reportedNames_;
  std::map<size_t, std::u32string> insert_;
  std::map<size_t, std::pair<size_t, std::u32string>> replace_;
};

}  // namespace

std::string encodeUtf8(std::u32string_view s) {
  std::string out;
  for (char32_t c : s) {
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (c < 0x800) {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      out += static_cast<char>(0xE0 | (c >> 12));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (c >> 18));
      out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
}

std::string codePointName(char32_t c) {
  const Named* n = named(c);
  return hex(c) + (n ? std::string(" ") + n->name : "");
}

RepairedText repairText(std::string_view utf8, uint32_t file, uint32_t base,
                        const RepairReport& report) {
  return Repairer(utf8, file, base, report).run();
}

}  // namespace daliz
