#include "analysis/diff.h"

#include <algorithm>
#include <map>

namespace daliz::analysis {

namespace {

constexpr size_t kChunk = 8192;

// Profile ids of both bundles in one sorted list, and each bundle's index into it.
struct Union {
  std::vector<std::string> ids;
  std::vector<uint32_t> fromOld, fromNew;
};

Union unite(const Program& a, const Program& b) {
  Union u;
  for (const auto& p : a.profiles) u.ids.push_back(p.id);
  for (const auto& p : b.profiles) u.ids.push_back(p.id);
  std::sort(u.ids.begin(), u.ids.end());
  u.ids.erase(std::unique(u.ids.begin(), u.ids.end()), u.ids.end());
  auto index = [&](const std::string& id) {
    return static_cast<uint32_t>(std::lower_bound(u.ids.begin(), u.ids.end(), id) - u.ids.begin());
  };
  for (const auto& p : a.profiles) u.fromOld.push_back(index(p.id));
  for (const auto& p : b.profiles) u.fromNew.push_back(index(p.id));
  return u;
}

// The profiles (union indices, sorted, unique) that hit a declaration.
void hitSet(const Replayed& d, const std::vector<uint32_t>& map, std::vector<uint32_t>& out) {
  out.clear();
  for (const ReplayHit& h : d.hits) out.push_back(map[h.profile]);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
}

}  // namespace

DiffReport runDiffReport(const LoadedProgram& oldProgram, const LoadedProgram& newProgram, std::istream& history,
                         const DiffOptions& options) {
  DiffReport r;
  r.options = options;
  r.oldHash = oldProgram.contentHash;
  r.newHash = newProgram.contentHash;
  const Program& po = oldProgram.program;
  const Program& pn = newProgram.program;
  const Union u = unite(po, pn);
  std::vector<ProfileDriver> drivers(u.ids.size());
  for (size_t i = 0; i < po.profiles.size(); ++i) {
    ProfileDriver& d = drivers[u.fromOld[i]];
    d.id = po.profiles[i].id;
    d.title = po.profiles[i].title;
    d.inOld = true;
  }
  for (size_t i = 0; i < pn.profiles.size(); ++i) {
    ProfileDriver& d = drivers[u.fromNew[i]];
    d.id = pn.profiles[i].id;
    d.title = pn.profiles[i].title;  // the new title wins
    d.inNew = true;
  }
  for (const ProfileDriver& d : drivers) {
    if (d.inOld && !d.inNew) r.profilesOnlyOld.push_back(d.id);
    if (d.inNew && !d.inOld) r.profilesOnlyNew.push_back(d.id);
  }

  const unsigned threads = options.threads ? options.threads : defaultThreads();
  Replayer oldRunner(oldProgram, threads), newRunner(newProgram, threads);
  LineReader reader(history);
  std::vector<std::string> lines;
  std::vector<size_t> numbers;
  std::vector<std::string_view> views;
  std::vector<Replayed> olds, news;
  std::vector<uint32_t> a, b, onlyOld, onlyNew;
  PlanTally oldPlans(po), newPlans(pn);
  auto error = [&](size_t line, const std::string& id, std::string message) {
    ++r.errors;
    if (r.errorList.size() < kMaxListedErrors) r.errorList.push_back(LineError{line, id, std::move(message)});
  };
  while (reader.next(kChunk, lines, numbers)) {
    views.assign(lines.begin(), lines.end());
    oldRunner.decide(views, olds);
    newRunner.decide(views, news);
    for (size_t i = 0; i < lines.size(); ++i) {
      ++r.lines;
      const Replayed& o = olds[i];
      const Replayed& n = news[i];
      if (!o.ok) ++r.errorsOld;
      if (!n.ok) ++r.errorsNew;
      if (!o.ok && !n.ok) {
        error(numbers[i], o.id, o.error == n.error ? o.error : "old bundle: " + o.error + "; new bundle: " + n.error);
        continue;
      }
      if (!o.ok || !n.ok) {
        error(numbers[i], o.ok ? n.id : o.id, !o.ok ? "old bundle only: " + o.error : "new bundle only: " + n.error);
        continue;
      }
      ++r.compared;
      const uint8_t from = std::min<uint8_t>(o.corridor, 3), to = std::min<uint8_t>(n.corridor, 3);
      ++r.matrix[from][to];
      ++r.before[from];
      ++r.after[to];
      if (from != to) ++r.moved;
      if (!po.plans.empty()) oldPlans.add(o.office, from);
      if (!pn.plans.empty()) newPlans.add(n.office, to);
      hitSet(o, u.fromOld, a);
      hitSet(n, u.fromNew, b);
      onlyOld.clear();
      onlyNew.clear();
      std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(onlyOld));
      std::set_difference(b.begin(), b.end(), a.begin(), a.end(), std::back_inserter(onlyNew));
      for (uint32_t p : onlyOld) {
        ++drivers[p].removed;
        ++drivers[p].removedMoves[from][to];
        if (from != to) ++drivers[p].moved;
      }
      for (uint32_t p : onlyNew) {
        ++drivers[p].added;
        ++drivers[p].addedMoves[from][to];
        if (from != to) ++drivers[p].moved;
      }
      if (from != to && r.samples.size() < options.samples) {
        DiffSample s;
        s.line = numbers[i];
        s.id = o.id;
        s.from = from;
        s.to = to;
        for (uint32_t p : onlyNew) s.added.push_back(u.ids[p]);
        for (uint32_t p : onlyOld) s.removed.push_back(u.ids[p]);
        r.samples.push_back(std::move(s));
      }
    }
  }
  r.readFailed = reader.failed();
  r.plansOld = oldPlans.compare();
  r.plansNew = newPlans.compare();
  for (ProfileDriver& d : drivers)
    if (d.added + d.removed > 0) r.drivers.push_back(std::move(d));
  std::stable_sort(r.drivers.begin(), r.drivers.end(), [](const ProfileDriver& x, const ProfileDriver& y) {
    if (x.moved != y.moved) return x.moved > y.moved;
    return x.added + x.removed > y.added + y.removed;
  });
  return r;
}

}  // namespace daliz::analysis
