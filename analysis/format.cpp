#include "analysis/format.h"

#include <algorithm>
#include <cstdio>

#include "vm/exec/decision.h"

namespace daliz::analysis::fmt {

std::string percent(double share, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f%%", decimals, share * 100.0);
  return buf;
}

std::string percent(const std::optional<double>& share, int decimals) {
  return share ? percent(*share, decimals) : std::string("n/a");
}

std::string percentRange(const std::optional<Interval>& range) {
  if (!range) return "n/a";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.1f–%.1f%%", range->low * 100.0, range->high * 100.0);
  return buf;
}

std::string ratio(const std::optional<double>& value) {
  if (!value) return "n/a";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", *value);
  return buf;
}

std::string jsonNumber(const std::optional<double>& value) {
  if (!value) return "null";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6f", *value);
  return buf;
}

std::string money(Decimal d) { return toMoneyString(d); }

std::string money(const std::optional<Decimal>& d) {
  return d ? toMoneyString(*d) : std::string("n/a");
}

std::string measuredLevel(const ProfileFigures& p) {
  return p.risk ? levelText(p.risk->level) : "n/a";
}

std::string riskEvidence(const ProfileFigures& p) {
  const MeasuredRisk& m = *p.risk;
  std::string s = std::to_string(p.violations);
  s += " of ";
  s += std::to_string(p.controlled);
  s += " controlled hits, hit rate ";
  s += percent(p.hitRate);
  s += ", 95% interval ";
  s += percentRange(m.hitRate);
  if (!m.damageLow || !m.damageHigh || !m.levelLow || !m.levelHigh)
    return s + "; no violation to size the damage";
  s += ": ";
  s += money(*m.damageLow);
  s += " .. ";
  s += money(*m.damageHigh);
  s += ", ";
  s += levelText(*m.levelLow);
  if (*m.levelHigh != *m.levelLow) {
    s += " .. ";
    s += levelText(*m.levelHigh);
  }
  return s;
}

const char* corridor(uint8_t c) { return corridorText(c); }

std::string shortHash(const std::string& hash) {
  if (hash.empty()) return "(in memory)";
  return hash.substr(0, 16);
}

std::string jsonString(std::string_view s) {
  std::string out;
  appendJsonString(out, s);
  return out;
}

std::string html(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

size_t width(std::string_view s) {
  return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string moves(const Matrix& m, std::string_view arrow) {
  struct Cell {
    size_t count;
    int from, to;
  };
  std::vector<Cell> cells;
  for (int f = 0; f < 4; ++f)
    for (int t = 0; t < 4; ++t)
      if (m[f][t]) cells.push_back({m[f][t], f, t});
  std::stable_sort(cells.begin(), cells.end(), [](const Cell& a, const Cell& b) { return a.count > b.count; });
  std::string out;
  for (const Cell& c : cells) {
    if (!out.empty()) out += ", ";
    out += corridor(static_cast<uint8_t>(c.from));
    out += arrow;
    out += corridor(static_cast<uint8_t>(c.to));
    out += ' ';
    out += std::to_string(c.count);
  }
  return out;
}

std::string samplePercent(uint32_t basisPoints) {
  std::string s = std::to_string(basisPoints / 100);
  if (uint32_t frac = basisPoints % 100) {
    char buf[8];
    std::snprintf(buf, sizeof buf, ".%02u", frac);
    std::string f = buf;
    while (f.back() == '0') f.pop_back();
    s += f;
  }
  return s + "%";
}

std::string planRange(const CorridorCheck& c) {
  if (!c.given) return "-";
  std::string s = samplePercent(c.lowBasisPoints);
  s += "..";
  s += samplePercent(c.highBasisPoints);
  return s;
}

std::string planObserved(const CorridorCheck& c, size_t declarations) {
  if (declarations == 0) return "-";
  std::string s = percent(c.share);
  s += " (";
  s += std::to_string(c.count);
  s += ")";
  return s;
}

std::string planFlag(const CorridorCheck& c) {
  return c.outside() ? planVerdictName(c.verdict) : "";
}

std::string planOffice(const PlanCheck& p) { return p.office.empty() ? "general" : p.office; }

std::vector<std::pair<const PlanCheck*, const PlanCheck*>> planPairs(const PlanComparison& old,
                                                                     const PlanComparison& neu) {
  std::vector<std::pair<const PlanCheck*, const PlanCheck*>> pairs;
  for (const PlanCheck& n : neu.plans) pairs.emplace_back(old.find(n.office), &n);
  for (const PlanCheck& o : old.plans)
    if (!neu.find(o.office)) pairs.emplace_back(&o, nullptr);
  return pairs;
}

std::string Table::render(std::string_view indent) const {
  std::vector<size_t> widths;
  for (const auto& r : rows_) {
    if (widths.size() < r.size()) widths.resize(r.size(), 0);
    for (size_t c = 0; c < r.size(); ++c) widths[c] = std::max(widths[c], width(r[c]));
  }
  std::string out;
  for (const auto& r : rows_) {
    std::string line(indent);
    for (size_t c = 0; c < r.size(); ++c) {
      const size_t pad = widths[c] - width(r[c]);
      const bool right = c < align_.size() && align_[c] == 'r';
      if (c) line += "  ";
      if (right) line.append(pad, ' ');
      line += r[c];
      if (!right && c + 1 < r.size()) line.append(pad, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

}  // namespace daliz::analysis::fmt
