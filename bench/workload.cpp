#include "bench/workload.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <mutex>
#include <numeric>
#include <stdexcept>

#include "stdlib/embedded.h"

namespace daliz::bench {

std::string countryText(uint16_t c) { return {static_cast<char>(c >> 8), static_cast<char>(c & 0xFF)}; }

std::string dateText(int32_t days) {
  // Civil from days (H. Hinnant's algorithm).
  int64_t z = days + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1;
  int64_t m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", static_cast<int>(y), static_cast<int>(m), static_cast<int>(d));
  return buf;
}

// Goods archetypes (borrowed from samples/generate_declarations.py): subheading, description
// in Russian, Kazakh and English, usual origins, base price in tenge per kg, net weight range.
const std::vector<Archetype>& archetypes() {
  static const std::vector<Archetype> list = {
    {"610910", "Футболки мужские трикотажные из хлопка", "Мақта футболкалар, ерлерге арналған", "Cotton knitted T-shirts, men's", {{"CN", 5}, {"TR", 3}, {"UZ", 4}, {"BD", 1}, {"IN", 1}}, 3500, 200, 3000},
    {"611020", "Свитеры трикотажные из хлопка", "Мақта жемпірлер", "Cotton pullovers and cardigans", {{"CN", 4}, {"TR", 3}, {"UZ", 2}}, 4500, 200, 2500},
    {"620342", "Брюки мужские джинсовые из хлопка", "Ерлер джинсы шалбары", "Men's cotton denim trousers", {{"CN", 4}, {"TR", 3}, {"BD", 1}}, 5000, 300, 2500},
    {"620462", "Брюки женские из хлопка", "Әйелдер шалбары, мақта", "Women's cotton trousers", {{"CN", 3}, {"TR", 3}}, 5500, 200, 2000},
    {"620140", "Куртки мужские утеплённые из синтетических волокон", "Ерлер күртешелері, жылытылған", "Men's padded jackets of man-made fibres", {{"CN", 5}, {"TR", 2}}, 6000, 300, 2500},
    {"630221", "Постельное бельё из хлопка, комплекты", "Мақта төсек жабдықтары", "Cotton bed linen sets", {{"UZ", 4}, {"CN", 2}, {"TR", 2}, {"IN", 1}}, 3000, 300, 3000},
    {"640299", "Обувь из резины и пластмассы, сланцы", "Резеңке аяқ киім", "Rubber and plastic footwear", {{"CN", 5}, {"VN", 2}}, 3000, 300, 3000},
    {"640399", "Ботинки мужские с верхом из натуральной кожи", "Былғары ерлер бәтеңкесі", "Men's leather shoes", {{"CN", 3}, {"TR", 3}, {"VN", 1}, {"IT", 1}}, 7000, 100, 1500},
    {"640411", "Кроссовки спортивные с верхом из текстиля", "Спорттық кроссовкалар", "Textile sports shoes (sneakers)", {{"CN", 4}, {"VN", 3}}, 4500, 200, 2000},
    {"851713", "Смартфоны, 128 ГБ, в заводской упаковке", "Смартфондар, 128 ГБ", "Smartphones, 128 GB", {{"CN", 6}, {"VN", 3}, {"IN", 1}, {"KR", 1}}, 200000, 10, 150},
    {"847130", "Ноутбуки 15,6 дюйма", "Ноутбуктер 15,6 дюйм", "Laptop computers, 15.6 inch", {{"CN", 5}}, 100000, 20, 300},
    {"852872", "Телевизоры LED 55 дюймов", "LED теледидарлар", "LED television sets, 55 inch", {{"CN", 4}, {"KR", 2}, {"TR", 1}}, 10000, 300, 3000},
    {"841810", "Холодильники бытовые двухкамерные", "Тұрмыстық тоңазытқыштар", "Household refrigerator-freezers", {{"CN", 3}, {"TR", 3}, {"KR", 2}, {"DE", 1}}, 2500, 1000, 6000},
    {"845011", "Машины стиральные бытовые, загрузка 7 кг", "Кір жуғыш машиналар", "Household washing machines, 7 kg", {{"TR", 3}, {"CN", 3}, {"KR", 2}, {"DE", 1}}, 2800, 1000, 5000},
    {"841510", "Кондиционеры настенные сплит-системы", "Сплит-жүйелі кондиционерлер", "Wall-mounted split air conditioners", {{"CN", 5}, {"KR", 1}}, 3000, 500, 5000},
    {"854449", "Провода электрические в изоляции, до 1000 В", "Оқшауланған электр сымдары", "Insulated electric conductors, up to 1000 V", {{"CN", 3}, {"TR", 2}}, 2000, 500, 8000},
    {"848180", "Краны шаровые стальные", "Болат шар шүмектері", "Steel ball valves", {{"CN", 4}, {"IT", 1}, {"DE", 1}}, 3000, 100, 3000},
    {"841370", "Насосы центробежные", "Ортадан тепкіш сорғылар", "Centrifugal pumps", {{"CN", 3}, {"DE", 1}}, 2500, 200, 3000},
    {"870323", "Автомобиль легковой бензиновый, 1998 см3, 2025 г.в.", "Жеңіл автомобиль, бензин", "Passenger car, petrol, 1998 cc", {{"KR", 3}, {"CN", 3}, {"DE", 2}, {"JP", 2}}, 7000, 1400, 1700},
    {"870380", "Электромобиль легковой, аккумуляторный", "Электромобиль", "Battery electric passenger car", {{"CN", 5}, {"DE", 1}}, 6500, 1700, 2300},
    {"870899", "Запасные части для легковых автомобилей: рычаги подвески", "Автомобиль қосалқы бөлшектері", "Suspension arms for passenger cars", {{"CN", 5}, {"DE", 1}}, 2000, 100, 3000},
    {"401110", "Шины пневматические для легковых автомобилей", "Жеңіл автомобиль шиналары", "New pneumatic tyres for passenger cars", {{"CN", 5}, {"KR", 2}, {"JP", 1}, {"RU", 1}}, 1300, 1000, 10000},
    {"842952", "Экскаватор гусеничный, 2025 г.в.", "Шынжыр табанды экскаватор", "Crawler excavator", {{"CN", 4}, {"JP", 1}, {"KR", 1}}, 2500, 13000, 22000},
    {"843351", "Комбайн зерноуборочный", "Астық жинайтын комбайн", "Combine harvester", {{"RU", 2}, {"BY", 2}, {"DE", 1}}, 3500, 9000, 16000},
    {"870192", "Трактор колёсный, 80 л.с.", "Доңғалақты трактор", "Wheeled agricultural tractor", {{"BY", 4}, {"CN", 2}}, 2500, 3500, 5000},
    {"080620", "Виноград сушёный (изюм)", "Кептірілген жүзім (мейіз)", "Dried grapes (raisins)", {{"UZ", 5}, {"IR", 2}, {"TR", 1}}, 500, 2000, 20000},
    {"080212", "Миндаль очищенный", "Тазартылған бадам", "Shelled almonds", {{"US", 3}, {"UZ", 2}}, 3000, 1000, 10000},
    {"080510", "Апельсины свежие", "Жаңа піскен апельсиндер", "Fresh oranges", {{"TR", 4}, {"EG", 2}, {"CN", 1}, {"UZ", 1}}, 300, 8000, 20000},
    {"080810", "Яблоки свежие", "Жаңа алма", "Fresh apples", {{"CN", 3}, {"PL", 2}, {"UZ", 2}}, 300, 8000, 20000},
    {"090121", "Кофе жареный в зёрнах", "Қуырылған дәнді кофе", "Roasted coffee beans", {{"DE", 2}, {"IT", 2}}, 6000, 500, 5000},
    {"090230", "Чай чёрный байховый в пакетиках", "Қара шай", "Black tea in bags", {{"IN", 3}, {"LK", 2}, {"CN", 1}}, 2000, 1000, 12000},
    {"180632", "Шоколад молочный плиточный", "Сүтті шоколад", "Milk chocolate bars", {{"RU", 1}, {"DE", 2}, {"TR", 2}, {"PL", 2}}, 2500, 1000, 10000},
    {"220210", "Напитки безалкогольные газированные", "Алкогольсіз газдалған сусындар", "Carbonated soft drinks", {{"TR", 2}, {"CN", 1}, {"RU", 1}}, 300, 10000, 20000},
    {"220830", "Виски шотландский, 0,7 л", "Шотланд вискиі", "Scotch whisky, 0.7 l", {{"GB", 5}}, 6000, 500, 8000},
    {"220421", "Вино виноградное красное сухое, 0,75 л", "Қызыл құрғақ шарап", "Red dry wine, 0.75 l", {{"GE", 3}, {"IT", 2}, {"FR", 1}}, 2500, 1000, 12000},
    {"300490", "Лекарственные средства в таблетках, расфасованные", "Дәрілік заттар, таблеткалар", "Medicaments in tablets, for retail sale", {{"DE", 2}, {"HU", 2}, {"TR", 1}, {"IN", 3}, {"CN", 1}, {"RU", 1}}, 15000, 50, 2000},
    {"330300", "Туалетная вода, 100 мл", "Иіссу, 100 мл", "Eau de toilette, 100 ml", {{"FR", 2}, {"AE", 2}, {"TR", 1}, {"CN", 1}}, 9000, 50, 1000},
    {"330499", "Кремы косметические для лица", "Бетке арналған косметикалық кремдер", "Face creams, cosmetic", {{"KR", 4}, {"FR", 1}, {"CN", 2}, {"TR", 1}}, 6000, 100, 2000},
    {"340250", "Средства моющие синтетические, порошок", "Синтетикалық жуғыш заттар", "Synthetic washing powder", {{"TR", 3}, {"RU", 1}, {"DE", 1}, {"CN", 1}}, 700, 3000, 20000},
    {"380893", "Гербициды для сельского хозяйства", "Гербицидтер", "Herbicides for agriculture", {{"CN", 4}, {"DE", 1}, {"IN", 2}}, 1800, 1000, 15000},
    {"392690", "Изделия из пластмасс прочие: органайзеры", "Пластмасса бұйымдары", "Plastic storage organisers", {{"CN", 5}, {"TR", 1}}, 1200, 200, 5000},
    {"730419", "Трубы бесшовные стальные для нефтепроводов", "Жіксіз болат құбырлар", "Seamless steel line pipe", {{"CN", 3}, {"RU", 2}}, 500, 5000, 19000},
    {"691110", "Посуда столовая фарфоровая", "Фарфор ас үй ыдыстары", "Porcelain tableware", {{"CN", 3}, {"TR", 2}}, 1400, 500, 8000},
    {"690721", "Плитка керамическая напольная", "Еденге арналған керамикалық плитка", "Ceramic floor tiles", {{"CN", 3}, {"IR", 2}, {"ES", 1}, {"TR", 2}}, 200, 8000, 19500},
    {"940340", "Мебель кухонная деревянная", "Ағаш ас үй жиһазы", "Wooden kitchen furniture", {{"CN", 3}, {"TR", 2}, {"IT", 1}, {"PL", 1}, {"BY", 1}}, 1200, 500, 6000},
    {"940171", "Диваны мягкие с металлическим каркасом", "Жұмсақ дивандар", "Upholstered seats with metal frames", {{"CN", 3}, {"TR", 2}, {"PL", 1}}, 1600, 500, 5000},
    {"950300", "Игрушки детские пластмассовые", "Балалар ойыншықтары", "Plastic toys for children", {{"CN", 6}, {"DE", 1}}, 1800, 200, 4000},
    {"040221", "Молоко сухое обезжиренное", "Құрғақ май алынған сүт", "Skimmed milk powder", {{"BY", 3}, {"NZ", 1}}, 1500, 2000, 20000},
    {"170199", "Сахар белый тростниковый", "Ақ қант", "White cane sugar", {{"BR", 1}}, 250, 20000, 60000},
    {"252329", "Портландцемент М500", "Портландцемент", "Portland cement", {{"CN", 1}, {"RU", 2}}, 30, 20000, 65000},
    {"271019", "Масла моторные синтетические", "Мотор майлары", "Synthetic motor oils", {{"RU", 3}, {"DE", 1}}, 400, 5000, 20000},
    {"930320", "Ружья охотничьи гладкоствольные", "Аңшылық мылтықтары", "Hunting shotguns", {{"TR", 3}, {"IT", 1}, {"RU", 1}}, 40000, 50, 400},
    {"930621", "Патроны охотничьи 12 калибра", "Аңшылық патрондар", "Shotgun cartridges, 12 gauge", {{"TR", 2}, {"IT", 1}, {"RU", 2}}, 4000, 300, 3000},
    {"293941", "Эфедрина гидрохлорид, фармацевтическая субстанция", "Эфедрин гидрохлориді", "Ephedrine hydrochloride, pharmaceutical grade", {{"IN", 3}, {"DE", 1}}, 60000, 5, 50},
    {"293332", "Пиперидин технический", "Пиперидин", "Piperidine, technical", {{"CN", 2}, {"DE", 1}}, 5000, 50, 500},
    {"290371", "Хладон R-22 (хлордифторметан) в баллонах", "R-22 хладоны", "Refrigerant R-22 (chlorodifluoromethane) in cylinders", {{"CN", 4}, {"IN", 1}}, 2500, 500, 5000},
    {"845611", "Станок лазерной резки металла с ЧПУ", "Металды лазермен кесу станогы", "CNC laser metal cutting machine", {{"CN", 4}, {"DE", 1}}, 5000, 2000, 6000},
    {"852691", "Аппаратура радионавигационная (GNSS-приёмники)", "Радионавигациялық аппаратура", "Radio navigational aid apparatus (GNSS receivers)", {{"CN", 3}, {"US", 1}}, 30000, 20, 300},
  };
  return list;
}

namespace {

// Every origin a goods item may have, with its global weight (imports into Kazakhstan).
const std::vector<std::pair<const char*, double>> kOrigins = {
    {"CN", 30}, {"RU", 10}, {"TR", 8}, {"UZ", 5}, {"DE", 5}, {"KR", 4}, {"BY", 4}, {"IT", 3}, {"US", 3},
    {"IN", 3}, {"KG", 2}, {"VN", 2}, {"JP", 2}, {"PL", 2}, {"AE", 2}, {"FR", 1.5}, {"GB", 1}, {"IR", 1},
    {"ES", 0.8}, {"NL", 0.8}, {"CZ", 0.6}, {"HU", 0.5}, {"GE", 0.5}, {"AM", 0.5}, {"TJ", 0.5}, {"MY", 0.5},
    {"TH", 0.5}, {"ID", 0.5}, {"BD", 0.5}, {"PK", 0.4}, {"LK", 0.3}, {"EG", 0.3}, {"BR", 0.3}, {"NZ", 0.2},
    {"MD", 0.2}, {"AZ", 0.3}, {"TM", 0.2}, {"AF", 0.15}, {"MM", 0.05}, {"YE", 0.03}, {"SY", 0.03},
    {"KP", 0.01}, {"LT", 0.3}, {"LV", 0.2}, {"SG", 0.3}, {"CH", 0.4}, {"AT", 0.4}, {"SE", 0.3}, {"FI", 0.3},
    {"MX", 0.1}, {"CA", 0.2}, {"IL", 0.1}, {"SA", 0.1}, {"HK", 0.2}, {"TW", 0.5}, {"PH", 0.1}};
const char* const kCore[] = {"CN", "RU", "TR", "DE", "KR", "US", "IT", "IN"};

double uniform(std::mt19937_64& rng) { return std::uniform_real_distribution<double>(0.0, 1.0)(rng); }
double normal(std::mt19937_64& rng) { return std::normal_distribution<double>(0.0, 1.0)(rng); }
size_t below(std::mt19937_64& rng, size_t n) { return static_cast<size_t>(rng() % n); }
double phi(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

// Splits one CSV line (RFC 4180 quotes).
std::vector<std::string> csvFields(std::string_view line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') out.back() += '"', ++i;
      else if (c == '"') quoted = false;
      else out.back() += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else if (c != '\r') {
      out.back() += c;
    }
  }
  return out;
}

World buildWorld() {
  World w;
  std::mt19937_64 rng(kWorldSeed);
  std::string_view csv = embedded("stdlib/data/harmonized-system.csv");
  if (csv.empty()) throw std::runtime_error("the HS nomenclature is not embedded");
  size_t pos = csv.find('\n') + 1;
  while (pos < csv.size()) {
    size_t end = csv.find('\n', pos);
    if (end == std::string_view::npos) end = csv.size();
    auto f = csvFields(csv.substr(pos, end - pos));
    pos = end + 1;
    if (f.size() < 5 || f[4] != "6" || f[1].size() != 6 || f[1].compare(0, 2, "99") == 0) continue;
    Subheading s;
    s.code = f[1];
    s.number = static_cast<uint32_t>(std::stoul(s.code));
    s.en = f[2];
    w.subheadings.push_back(std::move(s));
  }
  std::sort(w.subheadings.begin(), w.subheadings.end(),
            [](const Subheading& a, const Subheading& b) { return a.number < b.number; });
  const auto& arch = archetypes();
  std::vector<size_t> archIndex, rest;
  for (size_t a = 0; a < arch.size(); ++a) {
    int s = w.findSubheading(static_cast<uint32_t>(std::stoul(arch[a].hs)));
    if (s < 0) throw std::runtime_error(std::string("archetype not in HS 2022: ") + arch[a].hs);
    w.subheadings[s].archetype = static_cast<int>(a);
    archIndex.push_back(static_cast<size_t>(s));
  }
  for (size_t s = 0; s < w.subheadings.size(); ++s)
    if (w.subheadings[s].archetype < 0) rest.push_back(s);
  std::shuffle(archIndex.begin(), archIndex.end(), rng);
  std::shuffle(rest.begin(), rest.end(), rng);
  std::vector<size_t> rank(archIndex);
  rank.insert(rank.end(), rest.begin(), rest.end());
  // Popularity: Zipf-like 1/(rank + 20): the top 100 subheadings carry about a third of the
  // goods items, the top 1,000 about 70%.
  double total = 0;
  for (size_t r = 0; r < rank.size(); ++r) total += 1.0 / (static_cast<double>(r) + 20.0);
  for (size_t r = 0; r < rank.size(); ++r) w.subheadings[rank[r]].weight = 1.0 / (static_cast<double>(r) + 20.0) / total;

  // Origins.
  double ow = 0;
  for (auto& [c, x] : kOrigins) ow += x;
  for (auto& [c, x] : kOrigins) {
    w.origins.push_back(cc(c));
    w.originWeight.push_back(x / ow);
  }
  for (const char* c : kCore) w.coreOrigins.push_back(cc(c));
  std::sort(w.coreOrigins.begin(), w.coreOrigins.end());

  // Prices and weights.
  std::unordered_map<std::string, double> chapterBase;
  for (auto& s : w.subheadings) {
    std::string ch = s.code.substr(0, 2);
    if (!chapterBase.count(ch)) chapterBase[ch] = 1500.0 * std::exp(0.8 * normal(rng));
  }
  for (auto& s : w.subheadings) {
    if (s.archetype >= 0) {
      const Archetype& a = arch[static_cast<size_t>(s.archetype)];
      s.basePrice = a.price;
      s.lnWeightMu = std::log(std::sqrt(a.wLow * a.wHigh));
      s.lnWeightSigma = std::max(0.3, std::log(a.wHigh / a.wLow) / 4);
    } else {
      s.basePrice = chapterBase[s.code.substr(0, 2)] * std::exp(0.4 * normal(rng));
      s.lnWeightMu = std::log(400.0);
      s.lnWeightSigma = 1.3;
    }
  }
  // Reference rows: chapter rows for the core origins, subheading rows for the 4,800 most
  // popular subheadings (core origins, the archetype's, up to 12 more), 10-digit rows for
  // the 400 most popular: about 52,000 rows. Every origin of a shorter code is listed for
  // the longer ones, so both readings of "longest prefix" agree (samples/README.md).
  static const char* const kExt[] = {"1000", "9000", "2000", "8000"};
  for (size_t r = 0; r < rank.size(); ++r) {
    Subheading& s = w.subheadings[rank[r]];
    if (r >= 4800) break;
    std::vector<uint16_t> o(w.coreOrigins);
    if (s.archetype >= 0)
      for (auto& [c, x] : arch[static_cast<size_t>(s.archetype)].origins) o.push_back(cc(c));
    int extras = static_cast<int>(below(rng, 13));
    std::discrete_distribution<size_t> pick(w.originWeight.begin(), w.originWeight.end());
    for (int e = 0; e < extras; ++e) o.push_back(w.origins[pick(rng)]);
    std::sort(o.begin(), o.end());
    o.erase(std::unique(o.begin(), o.end()), o.end());
    s.refOrigins = o;
    if (r < 400) s.ext10 = kExt[below(rng, 4)];
  }
  auto cents = [](double tenge) { return std::max<int64_t>(100, std::llround(tenge * 100)); };
  std::vector<std::string> chapters;
  for (auto& [ch, base] : chapterBase) chapters.push_back(ch);
  std::sort(chapters.begin(), chapters.end());
  for (const std::string& ch : chapters)
    for (uint16_t o : w.coreOrigins) w.refRows.push_back({ch, o, cents(chapterBase[ch] * std::exp(0.2 * normal(rng)))});
  for (auto& s : w.subheadings) {
    for (uint16_t o : s.refOrigins) {
      int64_t p = cents(s.basePrice * std::exp(0.25 * normal(rng)));
      w.refRows.push_back({s.code, o, p});
      if (!s.ext10.empty()) w.refRows.push_back({s.code + s.ext10, o, cents(static_cast<double>(p) / 100 * std::exp(0.1 * normal(rng)))});
    }
  }
  std::sort(w.refRows.begin(), w.refRows.end(), [](const World::RefRow& a, const World::RefRow& b) {
    return std::tie(a.code, a.origin) < std::tie(b.code, b.origin);
  });
  std::vector<bool> lengthSeen(11);
  for (const auto& row : w.refRows) {
    w.refIndex[World::refKey(std::stoull(row.code), static_cast<unsigned>(row.code.size()), row.origin)] = row.cents;
    lengthSeen[row.code.size()] = true;
  }
  for (int len = 10; len >= 2; len -= 2)
    if (lengthSeen[static_cast<size_t>(len)]) w.refLengths.push_back(static_cast<uint8_t>(len));
  w.cumulative.resize(w.subheadings.size());
  double c = 0;
  for (size_t s = 0; s < w.subheadings.size(); ++s) w.cumulative[s] = c += w.subheadings[s].weight;
  return w;
}

}  // namespace

int World::findSubheading(uint32_t number) const {
  auto it = std::lower_bound(subheadings.begin(), subheadings.end(), number,
                             [](const Subheading& s, uint32_t n) { return s.number < n; });
  return it != subheadings.end() && it->number == number ? static_cast<int>(it - subheadings.begin()) : -1;
}

std::optional<int64_t> World::refPrice(uint64_t hs10, uint16_t origin) const {
  static const uint64_t kPow[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000, 10000000000ULL};
  for (uint8_t len : refLengths) {
    auto it = refIndex.find(refKey(hs10 / kPow[10 - len], len, origin));
    if (it != refIndex.end()) return it->second;
  }
  return std::nullopt;
}

double World::originProb(size_t s, uint16_t origin) const {
  double global = 0;
  for (size_t k = 0; k < origins.size(); ++k)
    if (origins[k] == origin) global = originWeight[k];
  int a = subheadings[s].archetype;
  if (a < 0) return global;
  const auto& o = archetypes()[static_cast<size_t>(a)].origins;
  double sum = 0, mine = 0;
  for (auto& [c, x] : o) {
    sum += x;
    if (cc(c) == origin) mine += x;
  }
  return 0.7 * mine / sum + 0.3 * global;
}

bool World::hasRef(size_t s, uint16_t origin) const {
  return std::binary_search(coreOrigins.begin(), coreOrigins.end(), origin) ||
         std::binary_search(subheadings[s].refOrigins.begin(), subheadings[s].refOrigins.end(), origin);
}

std::string World::refCsv() const {
  std::string out = "code,origin,value\n";
  char buf[64];
  for (const auto& r : refRows) {
    std::snprintf(buf, sizeof buf, ",%s,%lld.%02lld\n", countryText(r.origin).c_str(),
                  static_cast<long long>(r.cents / 100), static_cast<long long>(r.cents % 100));
    out += r.code;
    out += buf;
  }
  return out;
}

const World& world() {
  static const World w = buildWorld();
  return w;
}

const ItemCountLaw& itemCountLaw() {
  static const ItemCountLaw law = [] {
    ItemCountLaw l;
    const double head[] = {0.35, 0.17, 0.12, 0.09, 0.07};
    for (int k = 1; k <= 5; ++k) {
      l.k.push_back(k);
      l.p.push_back(head[k - 1]);
    }
    // Log-uniform bands: P(k) proportional to 1/k inside each band.
    auto band = [&](int lo, int hi, double mass) {
      double z = 0;
      for (int k = lo; k <= hi; ++k) z += 1.0 / k;
      for (int k = lo; k <= hi; ++k) {
        l.k.push_back(k);
        l.p.push_back(mass / k / z);
      }
    };
    band(6, 20, 0.15);
    band(21, 100, 0.045);
    band(101, 400, 0.0045);
    l.k.push_back(999);
    l.p.push_back(0.0005);
    for (size_t i = 0; i < l.k.size(); ++i) l.mean += l.k[i] * l.p[i];
    return l;
  }();
  return law;
}

double valueRatioCdf(double x) {
  if (x <= 0) return 0;
  double lx = std::log(x);
  return (1 - kUndervaluedShare) * phi((lx - std::log(1.25)) / 0.3) + kUndervaluedShare * phi((lx - std::log(0.45)) / 0.35);
}

double categoryProb(int category) {
  switch (category) {
    case -1: return 0.12;
    case 0: return 0.24;
    case 1: return 0.54;
    default: return 0.10;
  }
}

const std::vector<std::pair<std::string, double>>& procedureLaw() {
  static const std::vector<std::pair<std::string, double>> law = {
      {"40", 0.78}, {"10", 0.07}, {"31", 0.02}, {"51", 0.03}, {"53", 0.02},
      {"70", 0.02}, {"78", 0.02}, {"96", 0.02}, {"21", 0.02}};
  return law;
}

const std::vector<std::pair<std::string, double>>& borderModeLaw() {
  static const std::vector<std::pair<std::string, double>> law = {
      {"30", 0.55}, {"20", 0.28}, {"40", 0.10}, {"10", 0.05}, {"71", 0.02}};
  return law;
}

const std::vector<std::pair<uint16_t, double>>& dispatchLaw() {
  static const std::vector<std::pair<uint16_t, double>> law = {
      {cc("CN"), 0.33}, {cc("RU"), 0.16}, {cc("UZ"), 0.07}, {cc("TR"), 0.07}, {cc("KG"), 0.05},
      {cc("DE"), 0.05}, {cc("AE"), 0.04}, {cc("PL"), 0.03}, {cc("LT"), 0.03}, {cc("KR"), 0.03},
      {cc("BY"), 0.03}, {cc("IT"), 0.02}, {cc("IN"), 0.02}, {cc("IR"), 0.02}, {cc("JP"), 0.01},
      {cc("US"), 0.01}, {cc("GE"), 0.01}, {cc("AF"), 0.005}, {cc("AZ"), 0.005}, {cc("TM"), 0.01}};
  return law;
}

const std::vector<std::string>& markers() {
  static const std::vector<std::string> list = {
      "replica", "реплика", "контрафакт", "копия бренда", "неоригинал", "түпнұсқа емес", "жалған бренд",
      "no-name", "unbranded", "counterfeit", "knock-off", "подделка", "имитация бренда", "grey import",
      "серый импорт", "параллельный импорт", "без маркировки", "таңбаламасыз", "без сертификата",
      "сертификатсыз", "б/у", "бывшие в употреблении", "пайдаланылған", "refurbished", "восстановленный",
      "ex-demo", "демо-образец", "prototype", "опытный образец", "gift set", "подарочный набор",
      "сыйлық жиынтығы", "promo pack", "рекламный образец", "dual-use", "двойного назначения",
      "екі мақсатты", "military grade", "военного назначения", "without invoice"};
  return list;
}

int64_t itemReferenceCents(const Item& item) {
  const World& w = world();
  auto ref = w.refPrice(item.hs, item.origin);
  return ref ? *ref : std::max<int64_t>(100, std::llround(w.subheadings[item.sub].basePrice * 100));
}

// ---- the declaration stream -----------------------------------------------------------------
namespace {

const char* const kKzWords1[] = {"Астана", "Алатау", "Сарыарка", "Каспий", "Жетысу", "Туран", "Номад", "Кайнар",
                                 "Ертіс", "Орал", "Тараз", "Шымкент", "Байтерек", "Самал", "Бірлік", "Даму",
                                 "Алтын", "Евразия", "Қазына", "Өркен"};
const char* const kKzWords2[] = {"Трейд", "Импорт", "Снаб", "Логистик", "Групп", "Сервис", "Холдинг", "Маркет",
                                 "Дистрибьюшн", "Техника", "Инвест", "Строй"};
const std::pair<const char*, double> kOffices[] = {{"55301", 3}, {"50301", 3}, {"59301", 2}, {"51301", 2},
                                                   {"62301", 1}, {"47301", 1}, {"75301", 2}, {"39301", 1}};
const char* const kEntryOffices[] = {"55212", "50214", "59209", "62205", "51207", "47210"};
const char* const kIncoterms[] = {"EXW", "FCA", "FCA", "CPT", "DAP", "DAP", "CIP", "FOB", "CFR"};
const char* const kHubs[] = {"AE", "CH", "SG", "HK", "TR", "GB", "LV", "VG"};
const char* const kExtensions[] = {"0000", "0000", "0000", "1000", "9000", "9009", "2000", "8000", "1009"};
const char* const kRuGeneric[] = {"Изделия прочие, ТН ВЭД ", "Комплектующие и принадлежности, код ",
                                  "Товары народного потребления, код ", "Запасные части, код ", "Материалы, код "};
const char* const kKkGeneric[] = {"Басқа бұйымдар, СЭҚ ТН ", "Тауарлар, код ", "Қосалқы бөлшектер, код "};

struct Currency {
  const char* code;
  int64_t rateMicro;  // tenge per unit
};
Currency currencyFor(uint16_t country) {
  switch (country) {
    case cc("CN"): return {"CNY", 71'500000};
    case cc("RU"): return {"RUB", 6'400000};
    case cc("TR"): return {"TRY", 13'200000};
    case cc("KR"): return {"KRW", 370000};
    case cc("JP"): return {"JPY", 3'500000};
    case cc("IN"): return {"INR", 6'000000};
    case cc("AE"): return {"AED", 140'200000};
    case cc("GB"): return {"GBP", 690'000000};
    case cc("BY"): return {"BYN", 165'000000};
    case cc("KG"): return {"KGS", 5'900000};
    case cc("DE"): case cc("IT"): case cc("FR"): case cc("ES"): case cc("NL"): case cc("AT"):
    case cc("FI"): case cc("LT"): case cc("LV"): return {"EUR", 585'000000};
    default: return {"USD", 515'000000};
  }
}

template <typename T>
const T& weighted(std::mt19937_64& rng, const std::vector<std::pair<T, double>>& law) {
  double u = uniform(rng), c = 0;
  for (const auto& e : law) {
    c += e.second;
    if (u < c) return e.first;
  }
  return law.back().first;
}

}  // namespace

WorkloadGenerator::WorkloadGenerator(uint64_t seed) : rng_(seed * 0x9E3779B97F4A7C15ULL + 1) { (void)world(); }

Item WorkloadGenerator::makeItem(int32_t no, const std::string& procedure) {
  const World& w = world();
  Item it;
  it.no = no;
  double u = uniform(rng_) * w.cumulative.back();
  it.sub = static_cast<uint32_t>(std::lower_bound(w.cumulative.begin(), w.cumulative.end(), u) - w.cumulative.begin());
  if (it.sub >= w.subheadings.size()) it.sub = static_cast<uint32_t>(w.subheadings.size() - 1);
  const Subheading& s = w.subheadings[it.sub];
  const Archetype* a = s.archetype >= 0 ? &archetypes()[static_cast<size_t>(s.archetype)] : nullptr;
  // Origin: P(o | s) as World::originProb says.
  if (a && uniform(rng_) < 0.7) {
    double total = 0;
    for (auto& [c, x] : a->origins) total += x;
    double v = uniform(rng_) * total;
    it.origin = cc(a->origins.back().first);
    for (auto& [c, x] : a->origins) {
      if (v < x) {
        it.origin = cc(c);
        break;
      }
      v -= x;
    }
  } else {
    double v = uniform(rng_);
    it.origin = w.origins.back();
    for (size_t k = 0; k < w.origins.size(); ++k) {
      if (v < w.originWeight[k]) {
        it.origin = w.origins[k];
        break;
      }
      v -= w.originWeight[k];
    }
  }
  std::string ext = !s.ext10.empty() && uniform(rng_) < 0.3 ? s.ext10 : kExtensions[below(rng_, 9)];
  it.hs = static_cast<uint64_t>(s.number) * 10000 + std::stoul(ext);
  // Description: Russian, Kazakh or English.
  double lang = uniform(rng_);
  if (a) {
    it.description = lang < 0.6 ? a->ru : lang < 0.8 ? a->kk : a->en;
  } else if (lang < 0.4) {
    it.description = std::string(kRuGeneric[below(rng_, 5)]) + s.code;
  } else if (lang < 0.6) {
    it.description = std::string(kKkGeneric[below(rng_, 3)]) + s.code;
  } else {
    std::string en = s.en;
    if (en.size() > 90) {
      size_t cut = en.rfind(' ', 90);
      en.resize(cut == std::string::npos ? 90 : cut);
    }
    it.description = en;
  }
  if (uniform(rng_) < kMarkerShare) {
    std::string m = markers()[below(rng_, markers().size())];
    switch (below(rng_, 3)) {
      case 0: break;
      case 1:
        for (char& c : m)
          if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
        break;
      default: m = "«" + m + "»"; break;
    }
    it.description += (uniform(rng_) < 0.5 ? ", " : " — ") + m;
  }
  // Weights: net log-normal, gross 2–12% more; grams.
  double net = std::exp(s.lnWeightMu + s.lnWeightSigma * normal(rng_));
  it.netG = std::max<int64_t>(100, std::llround(net * 1000));
  it.grossG = std::llround(static_cast<double>(it.netG) * (1.02 + 0.1 * uniform(rng_)));
  it.net = static_cast<double>(it.netG) / 1000;
  it.gross = static_cast<double>(it.grossG) / 1000;
  // Value: net weight × reference price × F, F log-normal (4% undervalued).
  double f = uniform(rng_) < kUndervaluedShare ? std::exp(std::log(0.45) + 0.35 * normal(rng_))
                                               : std::exp(std::log(1.25) + 0.3 * normal(rng_));
  double ref = static_cast<double>(itemReferenceCents(it)) / 100;
  it.customsCents = std::max<int64_t>(1, std::llround(it.net * ref * f * 100));
  it.customs = static_cast<double>(it.customsCents) / 100;
  double p = uniform(rng_);
  it.preference = p < 0.7 ? "ОООО" : p < 0.95 ? "" : p < 0.98 ? "ОСОО" : "ОГОО";
  it.procedure = procedure + "00000";
  if (a && uniform(rng_) < 0.5) {
    it.suppUnit = "796";
    it.suppMilli = std::max<int64_t>(1000, it.netG / 10000 * 1000);
  }
  if (uniform(rng_) < 0.7) it.invoiceCents = std::llround(static_cast<double>(it.customsCents) / (1.02 + 0.06 * uniform(rng_)));
  it.valuationMethod = uniform(rng_) < 0.95 ? 1 : static_cast<int>(2 + below(rng_, 5));
  if (uniform(rng_) < 0.6) it.statisticalCents = it.customsCents * 100 / 51500;
  return it;
}

Declaration WorkloadGenerator::next() {
  Declaration d;
  ++sequence_;
  d.registered = kFirstDay + static_cast<int32_t>(below(rng_, kDayCount));
  std::vector<std::pair<std::string, double>> offices;
  for (auto& [o, x] : kOffices) offices.push_back({o, x / 15.0});
  d.customsOffice = weighted(rng_, offices);
  std::string date = dateText(d.registered);
  char id[64];
  std::snprintf(id, sizeof id, "%s/%c%c%c%c%c%c/%07llu", d.customsOffice.c_str(), date[8], date[9], date[5], date[6],
                date[2], date[3], static_cast<unsigned long long>(sequence_));
  d.id = id;
  d.procedure = weighted(rng_, procedureLaw());
  d.direction = d.procedure == "10" || d.procedure == "31" ? "EK" : "IM";
  // Participants: a Kazakh company, its risk category drawn from the category law.
  Party company;
  company.name = std::string("ТОО «") + kKzWords1[below(rng_, 20)] + " " + kKzWords2[below(rng_, 12)] + "»";
  char bin[16];
  std::snprintf(bin, sizeof bin, "%02d%02d40%06d", static_cast<int>(below(rng_, 28) + 97) % 100,
                static_cast<int>(below(rng_, 12) + 1), static_cast<int>(below(rng_, 1000000)));
  company.id = bin;
  company.country = cc("KZ");
  double u = uniform(rng_);
  company.category = u < 0.12 ? -1 : u < 0.36 ? 0 : u < 0.90 ? 1 : 2;
  d.dispatch = weighted(rng_, dispatchLaw());
  d.trading = uniform(rng_) < 0.7 ? d.dispatch : cc(kHubs[below(rng_, 8)]);
  d.borderMode = weighted(rng_, borderModeLaw());
  d.container = d.borderMode != "40" && uniform(rng_) < 0.35;
  int32_t n = itemCountLaw().k.back();
  {
    const auto& law = itemCountLaw();
    double v = uniform(rng_);
    for (size_t k = 0; k < law.k.size(); ++k) {
      if (v < law.p[k]) {
        n = law.k[k];
        break;
      }
      v -= law.p[k];
    }
  }
  d.items.reserve(static_cast<size_t>(n));
  for (int32_t k = 1; k <= n; ++k) d.items.push_back(makeItem(k, d.procedure));
  Party foreign;
  foreign.country = d.direction == "IM" ? d.items[0].origin : weighted(rng_, dispatchLaw());
  foreign.name = countryText(foreign.country) + (uniform(rng_) < 0.5 ? " Trading Co., Ltd." : " Export LLC");
  if (foreign.country == cc("KZ")) foreign.country = cc("UZ");
  if (d.direction == "IM") {
    d.exporter = foreign;
    d.exporter.category = -1;
    d.consignee = company;
    d.consignee.category = -1;
    d.destination = cc("KZ");
  } else {
    d.exporter = company;
    d.exporter.category = -1;
    d.consignee = foreign;
    d.consignee.category = -1;
    d.destination = foreign.country;
  }
  d.declarant = company;
  Currency cur = currencyFor(foreign.country);
  d.currency = cur.code;
  for (const Item& it : d.items) d.totalCents += it.customsCents;
  d.total = static_cast<double>(d.totalCents) / 100;
  d.exchangeRateMicro = std::llround(static_cast<double>(cur.rateMicro) * (0.98 + 0.04 * uniform(rng_)));
  if (uniform(rng_) < 0.85)
    d.invoiceTotalCents = std::llround(static_cast<double>(d.totalCents) * 1e6 / static_cast<double>(d.exchangeRateMicro) / 1.04);
  if (uniform(rng_) < 0.1) d.exchangeRateMicro = -1;
  if (uniform(rng_) < 0.8) d.deliveryTerms = kIncoterms[below(rng_, 9)];
  if (uniform(rng_) < 0.6) d.transactionNature = "010";
  if (uniform(rng_) < 0.4) d.inlandMode = "30";
  if (uniform(rng_) < 0.5) d.entryOffice = kEntryOffices[below(rng_, 6)];
  // Documents of every item: invoice, often contract and transport document, sometimes a
  // certificate of origin or a licence.
  std::string transport = d.borderMode == "10" ? "02011" : d.borderMode == "20" ? "02013" : d.borderMode == "40" ? "02017" : "02015";
  char number[32];
  std::snprintf(number, sizeof number, "INV-%06d", static_cast<int>(below(rng_, 1000000)));
  int32_t invoiceDate = d.registered - 5 - static_cast<int32_t>(below(rng_, 55));
  for (Item& it : d.items) {
    it.documents.push_back({"04021", number, invoiceDate});
    if (uniform(rng_) < 0.7) it.documents.push_back({"03011", "K-" + std::to_string(below(rng_, 10000)), invoiceDate - 30});
    if (uniform(rng_) < 0.9) it.documents.push_back({transport, "", -1});
    if (uniform(rng_) < 0.2) it.documents.push_back({"06011", "CO-" + std::to_string(below(rng_, 100000)), invoiceDate});
    if (uniform(rng_) < 0.02) it.documents.push_back({"01011", "", -1});
  }
  return d;
}

// ---- JSON -----------------------------------------------------------------------------------
namespace {

void jsonString(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

// A fixed-point number with `scale` decimals as a JSON string, trailing zeros dropped
// ("110.5"), or with exactly `scale` decimals when `keep` ("450.00").
void fixed(std::string& out, int64_t v, int scale, bool keep) {
  char buf[48];
  int64_t pow = 1;
  for (int i = 0; i < scale; ++i) pow *= 10;
  bool neg = v < 0;
  uint64_t a = neg ? static_cast<uint64_t>(-v) : static_cast<uint64_t>(v);
  int n = std::snprintf(buf, sizeof buf, "%s%llu.%0*llu", neg ? "-" : "", static_cast<unsigned long long>(a / pow), scale,
                        static_cast<unsigned long long>(a % pow));
  std::string_view s(buf, static_cast<size_t>(n));
  if (!keep) {
    while (s.back() == '0') s.remove_suffix(1);
    if (s.back() == '.') s.remove_suffix(1);
  }
  out += '"';
  out += s;
  out += '"';
}

void key(std::string& out, const char* k) {
  out += '"';
  out += k;
  out += "\":";
}

void party(std::string& out, const Party& p) {
  out += '{';
  if (!p.id.empty()) key(out, "id"), jsonString(out, p.id), out += ',';
  key(out, "name");
  jsonString(out, p.name);
  out += ",\"country\":\"" + countryText(p.country) + '"';
  static const char* const kCat[] = {"low", "medium", "high"};
  if (p.category >= 0) out += std::string(",\"category\":\"") + kCat[p.category] + '"';
  out += '}';
}

void codeField(std::string& out, const char* k, const std::string& v) {
  if (v.empty()) return;
  out += ',';
  key(out, k);
  jsonString(out, v);
}

}  // namespace

void appendJson(std::string& out, const Declaration& d) {
  out += "{\"id\":";
  jsonString(out, d.id);
  out += ",\"registered\":\"" + dateText(d.registered) + "\"";
  codeField(out, "direction", d.direction);
  codeField(out, "procedure", d.procedure);
  codeField(out, "customs_office", d.customsOffice);
  out += ",\"exporter\":";
  party(out, d.exporter);
  out += ",\"consignee\":";
  party(out, d.consignee);
  out += ",\"declarant\":";
  party(out, d.declarant);
  out += ",\"trading_country\":\"" + countryText(d.trading) + "\",\"dispatch_country\":\"" + countryText(d.dispatch) +
         "\",\"destination_country\":\"" + countryText(d.destination) + "\"";
  out += d.container ? ",\"container\":true" : ",\"container\":false";
  codeField(out, "delivery_terms", d.deliveryTerms);
  codeField(out, "contract_currency", d.currency);
  if (d.invoiceTotalCents >= 0) out += ",\"invoice_total\":", fixed(out, d.invoiceTotalCents, 2, true);
  if (d.exchangeRateMicro >= 0) out += ",\"exchange_rate\":", fixed(out, d.exchangeRateMicro, 6, false);
  codeField(out, "transaction_nature", d.transactionNature);
  codeField(out, "border_transport_mode", d.borderMode);
  codeField(out, "inland_transport_mode", d.inlandMode);
  codeField(out, "entry_office", d.entryOffice);
  out += ",\"total_customs_value\":";
  fixed(out, d.totalCents, 2, true);
  out += ",\"items\":[";
  char hs[16];
  for (size_t k = 0; k < d.items.size(); ++k) {
    const Item& it = d.items[k];
    if (k) out += ',';
    std::snprintf(hs, sizeof hs, "%010llu", static_cast<unsigned long long>(it.hs));
    out += "{\"no\":" + std::to_string(it.no) + ",\"hs_code\":\"" + hs + "\",\"description\":";
    jsonString(out, it.description);
    out += ",\"origin\":\"" + countryText(it.origin) + "\",\"gross_weight\":";
    fixed(out, it.grossG, 3, false);
    out += ",\"net_weight\":";
    fixed(out, it.netG, 3, false);
    codeField(out, "preference", it.preference);
    codeField(out, "procedure", it.procedure);
    if (it.suppMilli >= 0) out += ",\"supplementary_quantity\":", fixed(out, it.suppMilli, 3, false);
    codeField(out, "supplementary_unit", it.suppUnit);
    if (it.invoiceCents >= 0) out += ",\"invoice_value\":", fixed(out, it.invoiceCents, 2, true);
    out += ",\"valuation_method\":" + std::to_string(it.valuationMethod) + ",\"customs_value\":";
    fixed(out, it.customsCents, 2, true);
    if (it.statisticalCents >= 0) out += ",\"statistical_value\":", fixed(out, it.statisticalCents, 2, true);
    out += ",\"documents\":[";
    for (size_t j = 0; j < it.documents.size(); ++j) {
      const Document& doc = it.documents[j];
      if (j) out += ',';
      out += "{\"kind\":";
      jsonString(out, doc.kind);
      if (!doc.number.empty()) out += ",\"number\":", jsonString(out, doc.number);
      if (doc.date >= 0) out += ",\"date\":\"" + dateText(doc.date) + "\"";
      out += '}';
    }
    out += "]}";
  }
  out += "]}";
}

}  // namespace daliz::bench
