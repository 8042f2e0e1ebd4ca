#!/usr/bin/env python3
"""Generate samples/declarations.jsonl: 400 realistic goods declarations for the sample profiles.

Deterministic: seeded with random.Random(2025), no other source of randomness, so running it
again gives the same bytes. Run from the repository root or from anywhere:

    python3 samples/generate_declarations.py [--out FILE] [--hs PATH]

The JSON shape follows shared/spec/examples/01_valuation_declarations.jsonl and the stdlib
schema (spec section 11): every required field, optional fields sometimes present, money and
decimals as strings, dates "YYYY-MM-DD". HS codes are real HS 2022 subheadings (level 6 of the
nomenclature CSV) plus a 4-digit EAEU national extension. About 2% of the lines are
deliberately bad (not JSON, a required field missing, an HS code with a letter, an impossible
date) and must come out of `daliz run` as status "error".

Most declarations are "clean": priced at 80-180% of the reference prices in
reference_prices.csv, consistent totals, exchange rates within 3% of exchange_rates.csv,
preferences only where the origin allows them. A deterministic share carries one injected
risk ("scenario") that a specific profile is meant to catch; the participants' categories
(low/medium/high/missing) drive the participant, post-release and random profiles. The
intended result is about 70% green+blue (see README.md and expected_summary.md).
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import re
from decimal import ROUND_HALF_EVEN, Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
N_DECLARATIONS = 400
SEED = 2025

# --------------------------------------------------------------------------------------------
# Reference data
# --------------------------------------------------------------------------------------------

def find_hs_csv(explicit: str | None) -> str:
    candidates = [explicit] if explicit else []
    candidates += [
        os.path.join(HERE, "..", "stdlib", "data", "harmonized-system.csv"),
        os.path.join(HERE, "..", "..", "shared", "data", "hs", "harmonized-system.csv"),
        "/work/shared/data/hs/harmonized-system.csv",
    ]
    for c in candidates:
        if c and os.path.isfile(c):
            return c
    raise SystemExit("harmonized-system.csv not found; pass --hs PATH")


def load_subheadings(path: str) -> dict[str, str]:
    out = {}
    with open(path, encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            if row["level"] == "6":
                out[row["hscode"]] = row["description"]
    return out


def load_reference_prices() -> dict[tuple[str, str], Decimal]:
    with open(os.path.join(HERE, "reference_prices.csv"), encoding="utf-8", newline="") as f:
        return {(r["code"], r["origin"]): Decimal(r["value"]) for r in csv.DictReader(f)}


def load_rates() -> dict[str, Decimal]:
    with open(os.path.join(HERE, "exchange_rates.csv"), encoding="utf-8", newline="") as f:
        return {r["cur"]: Decimal(r["value"]) for r in csv.DictReader(f)}


def reference_price(ref, hs10: str, origin: str) -> Decimal | None:
    """Longest HS prefix present in the table for this origin (spec section 6)."""
    for n in (10, 8, 6, 4, 2):
        v = ref.get((hs10[:n], origin))
        if v is not None:
            return v
    return None


# --------------------------------------------------------------------------------------------
# Goods archetypes: subheading, descriptions (ru / kk / en), origins, base price KZT per kg
# (used when the reference table has no row), net weight range per item in kg, and the
# supplementary unit ("796" pieces, "715" pairs, "112" litres) with units per kg.
# --------------------------------------------------------------------------------------------

A = dict  # brevity

ARCHETYPES = [
    A(hs="610910", desc=["Футболки мужские трикотажные из хлопка", "Мақта футболкалар, ерлерге арналған",
                         "Cotton knitted T-shirts, men's"], origins={"CN": 5, "TR": 3, "UZ": 4, "BD": 1, "IN": 1},
      price=3500, w=(200, 3000), unit=("796", 5)),
    A(hs="611020", desc=["Свитеры трикотажные из хлопка", "Мақта жемпірлер", "Cotton pullovers and cardigans"],
      origins={"CN": 4, "TR": 3, "UZ": 2}, price=4500, w=(200, 2500), unit=("796", 3)),
    A(hs="620342", desc=["Брюки мужские джинсовые из хлопка", "Ерлер джинсы шалбары", "Men's cotton denim trousers"],
      origins={"CN": 4, "TR": 3, "BD": 1}, price=5000, w=(300, 2500), unit=("796", 2)),
    A(hs="620462", desc=["Брюки женские из хлопка", "Әйелдер шалбары, мақта", "Women's cotton trousers"],
      origins={"CN": 3, "TR": 3}, price=5500, w=(200, 2000), unit=("796", 2)),
    A(hs="620140", desc=["Куртки мужские утеплённые из синтетических волокон", "Ерлер күртешелері, жылытылған",
                         "Men's padded jackets of man-made fibres"], origins={"CN": 5, "TR": 2}, price=6000,
      w=(300, 2500), unit=("796", 1)),
    A(hs="630221", desc=["Постельное бельё из хлопка, комплекты", "Мақта төсек жабдықтары", "Cotton bed linen sets"],
      origins={"UZ": 4, "CN": 2, "TR": 2, "IN": 1}, price=3000, w=(300, 3000), unit=None),
    A(hs="640299", desc=["Обувь из резины и пластмассы, сланцы", "Резеңке аяқ киім", "Rubber and plastic footwear"],
      origins={"CN": 5, "VN": 2}, price=3000, w=(300, 3000), unit=("715", 2)),
    A(hs="640399", desc=["Ботинки мужские с верхом из натуральной кожи", "Былғары ерлер бәтеңкесі",
                         "Men's leather shoes"], origins={"CN": 3, "TR": 3, "VN": 1, "IT": 1}, price=7000,
      w=(100, 1500), unit=("715", 1)),
    A(hs="640411", desc=["Кроссовки спортивные с верхом из текстиля", "Спорттық кроссовкалар",
                         "Textile sports shoes (sneakers)"], origins={"CN": 4, "VN": 3}, price=4500,
      w=(200, 2000), unit=("715", 1)),
    A(hs="851713", desc=["Смартфоны, 128 ГБ, в заводской упаковке", "Смартфондар, 128 ГБ", "Smartphones, 128 GB"],
      origins={"CN": 6, "VN": 3, "IN": 1, "KR": 1}, price=200000, w=(10, 150), unit=("796", 3)),
    A(hs="847130", desc=["Ноутбуки 15,6 дюйма", "Ноутбуктер 15,6 дюйм", "Laptop computers, 15.6 inch"],
      origins={"CN": 5}, price=100000, w=(20, 300), unit=("796", 0.4)),
    A(hs="852872", desc=["Телевизоры LED 55 дюймов", "LED теледидарлар", "LED television sets, 55 inch"],
      origins={"CN": 4, "KR": 2, "TR": 1}, price=10000, w=(300, 3000), unit=("796", 0.06)),
    A(hs="841810", desc=["Холодильники бытовые двухкамерные", "Тұрмыстық тоңазытқыштар",
                         "Household refrigerator-freezers"], origins={"CN": 3, "TR": 3, "KR": 2, "DE": 1},
      price=2500, w=(1000, 6000), unit=("796", 0.015)),
    A(hs="845011", desc=["Машины стиральные бытовые, загрузка 7 кг", "Кір жуғыш машиналар",
                         "Household washing machines, 7 kg"], origins={"TR": 3, "CN": 3, "KR": 2, "DE": 1},
      price=2800, w=(1000, 5000), unit=("796", 0.015)),
    A(hs="841510", desc=["Кондиционеры настенные сплит-системы", "Сплит-жүйелі кондиционерлер",
                         "Wall-mounted split air conditioners"], origins={"CN": 5, "KR": 1}, price=3000,
      w=(500, 5000), unit=("796", 0.03)),
    A(hs="854449", desc=["Провода электрические в изоляции, до 1000 В", "Оқшауланған электр сымдары",
                         "Insulated electric conductors, up to 1000 V"], origins={"CN": 3, "TR": 2}, price=2000,
      w=(500, 8000), unit=None),
    A(hs="848180", desc=["Краны шаровые стальные", "Болат шар шүмектері", "Steel ball valves"],
      origins={"CN": 4, "IT": 1, "DE": 1}, price=3000, w=(100, 3000), unit=("796", 0.5)),
    A(hs="841370", desc=["Насосы центробежные", "Ортадан тепкіш сорғылар", "Centrifugal pumps"],
      origins={"CN": 3, "DE": 1}, price=2500, w=(200, 3000), unit=("796", 0.05)),
    A(hs="870323", desc=["Автомобиль легковой бензиновый, 1998 см3, 2025 г.в.", "Жеңіл автомобиль, бензин",
                         "Passenger car, petrol, 1998 cc"], origins={"KR": 3, "CN": 3, "DE": 2, "JP": 2},
      price=7000, w=(1400, 1700), unit=("796", None), per_vehicle=True),
    A(hs="870380", desc=["Электромобиль легковой, аккумуляторный", "Электромобиль", "Battery electric passenger car"],
      origins={"CN": 5, "DE": 1}, price=6500, w=(1700, 2300), unit=("796", None), per_vehicle=True),
    A(hs="870899", desc=["Запасные части для легковых автомобилей: рычаги подвески",
                         "Автомобиль қосалқы бөлшектері", "Suspension arms for passenger cars"],
      origins={"CN": 5, "DE": 1}, price=2000, w=(100, 3000), unit=None),
    A(hs="401110", desc=["Шины пневматические для легковых автомобилей", "Жеңіл автомобиль шиналары",
                         "New pneumatic tyres for passenger cars"], origins={"CN": 5, "KR": 2, "JP": 1, "RU": 1},
      price=1300, w=(1000, 10000), unit=("796", 0.1)),
    A(hs="842952", desc=["Экскаватор гусеничный, 2025 г.в.", "Шынжыр табанды экскаватор", "Crawler excavator"],
      origins={"CN": 4, "JP": 1, "KR": 1}, price=2500, w=(13000, 22000), unit=("796", None), per_vehicle=True),
    A(hs="843351", desc=["Комбайн зерноуборочный", "Астық жинайтын комбайн", "Combine harvester"],
      origins={"RU": 2, "BY": 2, "DE": 1}, price=3500, w=(9000, 16000), unit=("796", None), per_vehicle=True),
    A(hs="870192", desc=["Трактор колёсный, 80 л.с.", "Доңғалақты трактор", "Wheeled agricultural tractor"],
      origins={"BY": 4, "CN": 2}, price=2500, w=(3500, 5000), unit=("796", None), per_vehicle=True),
    A(hs="080620", desc=["Виноград сушёный (изюм)", "Кептірілген жүзім (мейіз)", "Dried grapes (raisins)"],
      origins={"UZ": 5, "IR": 2, "TR": 1}, price=500, w=(2000, 20000), unit=None),
    A(hs="080212", desc=["Миндаль очищенный", "Тазартылған бадам", "Shelled almonds"],
      origins={"US": 3, "UZ": 2}, price=3000, w=(1000, 10000), unit=None),
    A(hs="080510", desc=["Апельсины свежие", "Жаңа піскен апельсиндер", "Fresh oranges"],
      origins={"TR": 4, "EG": 2, "CN": 1, "UZ": 1}, price=300, w=(8000, 20000), unit=None),
    A(hs="080810", desc=["Яблоки свежие", "Жаңа алма", "Fresh apples"],
      origins={"CN": 3, "PL": 2, "UZ": 2}, price=300, w=(8000, 20000), unit=None),
    A(hs="090121", desc=["Кофе жареный в зёрнах", "Қуырылған дәнді кофе", "Roasted coffee beans"],
      origins={"DE": 2, "IT": 2}, price=6000, w=(500, 5000), unit=None),
    A(hs="090230", desc=["Чай чёрный байховый в пакетиках", "Қара шай", "Black tea in bags"],
      origins={"IN": 3, "LK": 2, "CN": 1}, price=2000, w=(1000, 12000), unit=None),
    A(hs="180632", desc=["Шоколад молочный плиточный", "Сүтті шоколад", "Milk chocolate bars"],
      origins={"RU": 1, "DE": 2, "TR": 2, "PL": 2}, price=2500, w=(1000, 10000), unit=None),
    A(hs="220210", desc=["Напитки безалкогольные газированные", "Алкогольсіз газдалған сусындар",
                         "Carbonated soft drinks"], origins={"TR": 2, "CN": 1, "RU": 1}, price=300,
      w=(10000, 20000), unit=("112", 0.95)),
    A(hs="220830", desc=["Виски шотландский, 0,7 л", "Шотланд вискиі", "Scotch whisky, 0.7 l"],
      origins={"GB": 5}, price=6000, w=(500, 8000), unit=("112", 0.9)),
    A(hs="220421", desc=["Вино виноградное красное сухое, 0,75 л", "Қызыл құрғақ шарап", "Red dry wine, 0.75 l"],
      origins={"GE": 3, "IT": 2, "FR": 1}, price=2500, w=(1000, 12000), unit=("112", 0.7)),
    A(hs="300490", desc=["Лекарственные средства в таблетках, расфасованные", "Дәрілік заттар, таблеткалар",
                         "Medicaments in tablets, for retail sale"], origins={"DE": 2, "HU": 2, "TR": 1, "IN": 3,
                                                                              "CN": 1, "RU": 1},
      price=15000, w=(50, 2000), unit=None),
    A(hs="330300", desc=["Туалетная вода, 100 мл", "Иіссу, 100 мл", "Eau de toilette, 100 ml"],
      origins={"FR": 2, "AE": 2, "TR": 1, "CN": 1}, price=9000, w=(50, 1000), unit=None),
    A(hs="330499", desc=["Кремы косметические для лица", "Бетке арналған косметикалық кремдер",
                         "Face creams, cosmetic"], origins={"KR": 4, "FR": 1, "CN": 2, "TR": 1}, price=6000,
      w=(100, 2000), unit=None),
    A(hs="340250", desc=["Средства моющие синтетические, порошок", "Синтетикалық жуғыш заттар",
                         "Synthetic washing powder"], origins={"TR": 3, "RU": 1, "DE": 1, "CN": 1}, price=700,
      w=(3000, 20000), unit=None),
    A(hs="380893", desc=["Гербициды для сельского хозяйства", "Гербицидтер", "Herbicides for agriculture"],
      origins={"CN": 4, "DE": 1, "IN": 2}, price=1800, w=(1000, 15000), unit=None),
    A(hs="392690", desc=["Изделия из пластмасс прочие: органайзеры", "Пластмасса бұйымдары",
                         "Plastic storage organisers"], origins={"CN": 5, "TR": 1}, price=1200, w=(200, 5000),
      unit=None),
    A(hs="730419", desc=["Трубы бесшовные стальные для нефтепроводов", "Жіксіз болат құбырлар",
                         "Seamless steel line pipe"], origins={"CN": 3, "RU": 2}, price=500, w=(5000, 19000),
      unit=None),
    A(hs="691110", desc=["Посуда столовая фарфоровая", "Фарфор ас үй ыдыстары", "Porcelain tableware"],
      origins={"CN": 3, "TR": 2}, price=1400, w=(500, 8000), unit=None),
    A(hs="690721", desc=["Плитка керамическая напольная", "Еденге арналған керамикалық плитка",
                         "Ceramic floor tiles"], origins={"CN": 3, "IR": 2, "ES": 1, "TR": 2}, price=200,
      w=(8000, 19500), unit=("055", 0.05)),
    A(hs="940340", desc=["Мебель кухонная деревянная", "Ағаш ас үй жиһазы", "Wooden kitchen furniture"],
      origins={"CN": 3, "TR": 2, "IT": 1, "PL": 1, "BY": 1}, price=1200, w=(500, 6000), unit=None),
    A(hs="940171", desc=["Диваны мягкие с металлическим каркасом", "Жұмсақ дивандар",
                         "Upholstered seats with metal frames"], origins={"CN": 3, "TR": 2, "PL": 1}, price=1600,
      w=(500, 5000), unit=("796", 0.02)),
    A(hs="950300", desc=["Игрушки детские пластмассовые", "Балалар ойыншықтары", "Plastic toys for children"],
      origins={"CN": 6, "DE": 1}, price=1800, w=(200, 4000), unit=None),
    A(hs="040221", desc=["Молоко сухое обезжиренное", "Құрғақ май алынған сүт", "Skimmed milk powder"],
      origins={"BY": 3, "NZ": 1}, price=1500, w=(2000, 20000), unit=None),
    A(hs="170199", desc=["Сахар белый тростниковый", "Ақ қант", "White cane sugar"],
      origins={"BR": 1}, price=250, w=(20000, 60000), unit=None),
    A(hs="252329", desc=["Портландцемент М500", "Портландцемент", "Portland cement"],
      origins={"CN": 1, "RU": 2}, price=30, w=(20000, 65000), unit=None),
    A(hs="271019", desc=["Масла моторные синтетические", "Мотор майлары", "Synthetic motor oils"],
      origins={"RU": 3, "DE": 1}, price=400, w=(5000, 20000), unit=("112", 1.1)),
]

# Goods subject to licences or permits: clean consignments carry a permit document.
RESTRICTED = [
    A(hs="930320", desc=["Ружья охотничьи гладкоствольные", "Аңшылық мылтықтары", "Hunting shotguns"],
      origins={"TR": 3, "IT": 1, "RU": 1}, price=40000, w=(50, 400), unit=("796", 0.3)),
    A(hs="930621", desc=["Патроны охотничьи 12 калибра", "Аңшылық патрондар", "Shotgun cartridges, 12 gauge"],
      origins={"TR": 2, "IT": 1, "RU": 2}, price=4000, w=(300, 3000), unit=None),
    A(hs="293941", desc=["Эфедрина гидрохлорид, фармацевтическая субстанция", "Эфедрин гидрохлориді",
                         "Ephedrine hydrochloride, pharmaceutical grade"], origins={"IN": 3, "DE": 1},
      price=60000, w=(5, 50), unit=None),
    A(hs="293332", desc=["Пиперидин технический", "Пиперидин", "Piperidine, technical"],
      origins={"CN": 2, "DE": 1}, price=5000, w=(50, 500), unit=None),
    A(hs="290371", desc=["Хладон R-22 (хлордифторметан) в баллонах", "R-22 хладоны",
                         "Refrigerant R-22 (chlorodifluoromethane) in cylinders"], origins={"CN": 4, "IN": 1},
      price=2500, w=(500, 5000), unit=None),
    A(hs="845611", desc=["Станок лазерной резки металла с ЧПУ", "Металды лазермен кесу станогы",
                         "CNC laser metal cutting machine"], origins={"CN": 4, "DE": 1}, price=5000,
      w=(2000, 6000), unit=("796", None), per_vehicle=True),
    A(hs="852691", desc=["Аппаратура радионавигационная (GNSS-приёмники)", "Радионавигациялық аппаратура",
                         "Radio navigational aid apparatus (GNSS receivers)"], origins={"CN": 3, "US": 1},
      price=30000, w=(20, 300), unit=("796", 1)),
]

# Exports of Kazakh goods (direction "EK", procedure 10).
EXPORTS = [
    A(hs="100199", desc=["Пшеница мягкая 3 класса", "Бидай, 3-сынып", "Common wheat, class 3"], price=120,
      w=(60000, 500000)),
    A(hs="110100", desc=["Мука пшеничная высшего сорта", "Жоғары сұрыпты бидай ұны", "Wheat flour, premium"],
      price=180, w=(20000, 200000)),
    A(hs="740311", desc=["Катоды медные рафинированные", "Тазартылған мыс катодтары", "Refined copper cathodes"],
      price=4500, w=(20000, 100000)),
    A(hs="720241", desc=["Феррохром высокоуглеродистый", "Жоғары көміртекті феррохром",
                         "High-carbon ferrochromium"], price=600, w=(20000, 120000)),
    A(hs="120600", desc=["Семена подсолнечника", "Күнбағыс тұқымы", "Sunflower seeds"], price=250,
      w=(20000, 150000)),
]
EXPORT_DESTINATIONS = {"UZ": 3, "CN": 3, "AF": 1, "TJ": 1, "TR": 1, "IT": 1, "KG": 1}

# Broad background: random subheadings of these chapters, described by the nomenclature text.
GENERIC_CHAPTERS = {"39": 1200, "40": 1300, "48": 600, "69": 900, "70": 800, "73": 900, "76": 2500,
                    "82": 3000, "83": 2000, "84": 3500, "94": 1500, "96": 2500}
# Nothing from the generic background may look like goods the profiles watch.
GENERIC_EXCLUDE = re.compile(
    r"(?i)tobacco|nicotine|phone|vehicle|weapon|firearm|footwear|garment|apparel|spirit|medica|"
    r"nuclear|radar|laser|aircraft|smok|cigar|^other$")
GENERIC_EXCLUDE_PREFIXES = ("8401", "8456", "8471", "8517", "8525", "8526", "8528", "8543")

# Origins entitled to the free-trade preference "ОСОО" (CIS FTA parties and EAEU FTA partners).
FREE_TRADE_ORIGINS = {"AM", "BY", "KG", "MD", "RU", "TJ", "UZ", "VN", "RS", "IR", "SG"}

ORIGIN_CURRENCY = {"CN": ["USD", "USD", "CNY"], "TR": ["USD", "EUR", "TRY"], "DE": ["EUR"], "IT": ["EUR"],
                   "PL": ["EUR", "PLN"], "ES": ["EUR"], "FR": ["EUR"], "HU": ["EUR"], "CZ": ["EUR"],
                   "RU": ["RUB", "RUB", "USD"], "BY": ["RUB", "BYN"], "KG": ["KGS", "USD"], "UZ": ["USD", "UZS"],
                   "KR": ["USD", "KRW"], "JP": ["USD", "JPY"], "IN": ["USD", "INR"], "AE": ["USD", "AED"],
                   "GB": ["GBP", "USD"], "US": ["USD"]}

EXPORTER_NAMES = {
    "CN": ["Zhejiang Huayang Import & Export Co., Ltd.", "Guangzhou Jiahe Trading Co., Ltd.",
           "Urumqi Silk Road Commerce Co., Ltd.", "Yiwu Hengfeng Import & Export Co., Ltd.",
           "Shenzhen Dawei Electronics Co., Ltd.", "Qingdao Ocean Rich Tyre Co., Ltd."],
    "TR": ["Istanbul Tekstil Dis Ticaret A.S.", "Anadolu Beyaz Esya San. ve Tic. A.S.", "Ege Kuru Meyve Ltd. Sti."],
    "DE": ["Rhein-Main Handels GmbH", "Bayerische Maschinen Export GmbH"],
    "IT": ["Milano Calzature S.r.l.", "Emilia Valvole S.p.A."],
    "RU": ["ООО «Уральская торговая компания»", "АО «СибАгроМаш»"],
    "BY": ["ОАО «Минский тракторный экспорт»", "ОАО «Гомсельмаш-Трейд»"],
    "UZ": ["Fergana Textile Group LLC", "Samarkand Dried Fruits LLC"],
    "KG": ["ОсОО «Бишкек Импекс»"],
    "KR": ["Hanil Electronics Co., Ltd.", "Seoul Beauty Trade Co., Ltd."],
    "IN": ["Mumbai Pharma Exports Pvt. Ltd.", "Assam Tea Traders Pvt. Ltd."],
    "AE": ["Jebel Ali General Trading LLC", "Dubai Gulf Star Trading FZE"],
    "US": ["Pacific Nut Exporters Inc."],
    "GB": ["Highland Spirits Export Ltd."],
    "JP": ["Tokyo Machinery Export Co., Ltd."],
}
GENERIC_EXPORTER = "{c} Trading Company"

KZ_WORDS_1 = ["Астана", "Алатау", "Сарыарка", "Каспий", "Жетысу", "Туран", "Номад", "Кайнар", "Ертіс",
              "Орал", "Тараз", "Шымкент", "Байтерек", "Самал", "Бірлік", "Даму", "Алтын", "Евразия"]
KZ_WORDS_2 = ["Трейд", "Импорт", "Снаб", "Логистик", "Групп", "Сервис", "Холдинг", "Маркет", "Дистрибьюшн",
              "Техника", "Инвест", "Строй"]
BROKERS = ["ТОО «Кеден Брокер»", "ТОО «Хоргос Декларант»", "ТОО «ТрансКеден Сервис»", "ТОО «Таможенный Альянс»",
           "ТОО «Нұр Кеден»"]
OFFICES = {"55301": 3, "50301": 3, "59301": 2, "51301": 2, "62301": 1, "47301": 1, "75301": 2, "39301": 1}
ENTRY_OFFICES = ["55212", "50214", "59209", "62205", "51207", "47210"]
INCOTERMS = ["EXW", "FCA", "FCA", "CPT", "DAP", "DAP", "CIP", "FOB", "CFR"]


def q2(x) -> Decimal:
    return Decimal(x).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)


def dec_str(x: Decimal, places: int = 3) -> str:
    s = f"{Decimal(x):.{places}f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def money_str(x: Decimal) -> str:
    return f"{q2(x):.2f}"


def wchoice(rng: random.Random, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


class Generator:
    def __init__(self, hs_csv: str):
        self.rng = random.Random(SEED)
        self.sub = load_subheadings(hs_csv)
        self.ref = load_reference_prices()
        self.rates = load_rates()
        for a in ARCHETYPES + RESTRICTED + EXPORTS:
            assert a["hs"] in self.sub, f"not an HS 2022 subheading: {a['hs']}"
        self.generic = [c for c in sorted(self.sub)
                        if c[:2] in GENERIC_CHAPTERS and not c.startswith(GENERIC_EXCLUDE_PREFIXES)
                        and not GENERIC_EXCLUDE.search(self.sub[c])]
        self.companies = self._make_companies()
        self.seq = 0

    # ---- participants ----------------------------------------------------------------------
    def _make_companies(self):
        rng = self.rng
        companies = []
        used = set()
        for _ in range(140):
            while True:
                name = f"ТОО «{rng.choice(KZ_WORDS_1)} {rng.choice(KZ_WORDS_2)}»"
                if name not in used:
                    used.add(name)
                    break
            yy, mm = rng.randint(97, 124) % 100, rng.randint(1, 12)
            bin_ = f"{yy:02d}{mm:02d}40{rng.randint(0, 999999):06d}"
            cat = wchoice(rng, {"low": 24, "medium": 54, "high": 10, None: 12})
            # Low-risk companies trade more and in larger consignments.
            weight = {"low": 3.0, "medium": 1.5, "high": 1.0, None: 1.0}[cat]
            companies.append(dict(id=bin_, name=name, country="KZ", category=cat, weight=weight))
        self.brokers = []
        for name in BROKERS:
            bin_ = f"{rng.randint(5, 20):02d}{rng.randint(1, 12):02d}40{rng.randint(0, 999999):06d}"
            self.brokers.append(dict(id=bin_, name=name, country="KZ",
                                     category=rng.choice(["low", "low", "medium"])))
        return companies

    @staticmethod
    def party(p, with_category=True):
        out = {}
        if p.get("id") is not None:
            out["id"] = p["id"]
        out["name"] = p["name"]
        out["country"] = p["country"]
        if with_category and p.get("category") is not None:
            out["category"] = p["category"]
        return out

    # ---- items -----------------------------------------------------------------------------
    def hs10(self, sub6: str) -> str:
        return sub6 + self.rng.choice(["0000", "0000", "0000", "1000", "9000", "9009", "2000", "8000", "1009"])

    def price_per_kg(self, hs10: str, origin: str, base) -> Decimal:
        refp = reference_price(self.ref, hs10, origin)
        basis = refp if refp is not None else Decimal(base)
        return basis * Decimal(str(round(self.rng.uniform(0.8, 1.8), 3)))

    def make_item(self, no, arch, origin, decl, qty_vehicles=None):
        rng = self.rng
        hs10 = self.hs10(arch["hs"])
        lang = rng.choices([0, 1, 2], weights=[6, 2, 2])[0]
        desc = arch["desc"][lang]
        if arch.get("per_vehicle"):
            n = qty_vehicles or rng.choices([1, 2, 3, 4], weights=[6, 2, 1, 1])[0]
            net = Decimal(rng.randint(*arch["w"])) * n
        else:
            lo, hi = arch["w"]
            net = Decimal(str(round(rng.uniform(lo, hi), 1)))
            n = None
        gross = (net * Decimal(str(round(rng.uniform(1.02, 1.12), 3)))).quantize(Decimal("0.001"))
        cv = q2(net * self.price_per_kg(hs10, origin, arch["price"]))
        item = dict(no=no, hs_code=hs10, description=desc, origin=origin, gross_weight=gross, net_weight=net,
                    procedure=decl["_item_procedure"], valuation_method=1, customs_value=cv, documents=[])
        item["_invoice"] = q2(cv / Decimal(str(round(rng.uniform(1.02, 1.08), 3))))
        unit = arch.get("unit")
        if unit:
            code, per_kg = unit
            if per_kg is None:
                qty = Decimal(n)
            else:
                qty = max(Decimal(1), (net * Decimal(str(per_kg))).quantize(Decimal("1")))
            if rng.random() < 0.9:
                item["supplementary_quantity"] = qty
                item["supplementary_unit"] = code
        return item

    def generic_item(self, no, origin, decl):
        rng = self.rng
        sub6 = rng.choice(self.generic)
        arch = dict(hs=sub6, desc=[self.sub[sub6]] * 3, price=GENERIC_CHAPTERS[sub6[:2]], w=(100, 3000),
                    unit=None)
        item = self.make_item(no, arch, origin, decl)
        item["description"] = self.sub[sub6]
        return item

    # ---- declarations ----------------------------------------------------------------------
    def registered_dates(self):
        start = dt.date(2025, 1, 1)
        days = [start + dt.timedelta(days=self.rng.randint(0, 729)) for _ in range(N_DECLARATIONS)]
        days.sort()
        return days

    def n_items(self):
        r = self.rng.random()
        if r < 0.90:
            return self.rng.choices([1, 2, 3, 4, 5], weights=[36, 24, 16, 12, 12])[0]
        return self.rng.choice([6, 7, 8, 9, 10, 12, 14, 16, 18, 21, 24, 27, 31, 35, 40])

    def pick_origin_and_archetypes(self):
        rng = self.rng
        origin = wchoice(rng, {"CN": 34, "TR": 10, "DE": 6, "RU": 5, "UZ": 7, "KR": 5, "IN": 3, "BY": 3, "IT": 3,
                               "PL": 2, "AE": 2, "US": 1, "GB": 1, "JP": 1, "VN": 2, "FR": 1, "IR": 1,
                               "GE": 1, "HU": 1, "EG": 1, "BR": 1, "ES": 1, "LK": 1, "NZ": 1, "BD": 1,
                               "KG": 2})
        archs = [a for a in ARCHETYPES if origin in a["origins"]]
        return origin, archs

    def build(self, date: dt.date, scenario: str):
        rng = self.rng
        self.seq += 1
        office = wchoice(rng, OFFICES)
        exporting = scenario == "export"

        # participants
        broker = None
        if exporting:
            company = rng.choices(self.companies, weights=[c["weight"] for c in self.companies])[0]
        elif scenario == "first_time":
            company = dict(id=None, name=f"ИП {rng.choice(['Жумабаев Е.', 'Ахметова А.', 'Ким В.', 'Сейтов Б.', 'Нурланов Д.', 'Петренко И.'])}",
                           country="KZ", category=None)
        elif scenario == "large_low":
            company = rng.choice([c for c in self.companies if c["category"] == "low"])
        else:
            company = rng.choices(self.companies, weights=[c["weight"] for c in self.companies])[0]
            if rng.random() < 0.25 or scenario == "consignee_no_id":
                broker = rng.choice(self.brokers)
        if scenario == "consignee_no_id":
            company = dict(id=None, name=f"ИП {rng.choice(['Омаров К.', 'Ли С.', 'Садыков Р.'])}", country="KZ",
                           category=None)
            broker = dict(rng.choice(self.brokers))
            broker["category"] = "medium"

        if exporting:
            dest = wchoice(rng, EXPORT_DESTINATIONS)
            arch = rng.choice(EXPORTS)
            currency = "USD"
            exporter = self.party(company, with_category=False)
            consignee = dict(name=f"{dest} Import Trading Co.", country=dest)
            declarant = self.party(company)
            trading, dispatch, destination = dest, "KZ", dest
            mode = rng.choice(["20", "20", "30"])
            items_spec = [(arch, "KZ")]
        else:
            origin, archs = self.pick_origin_and_archetypes()
            currency = rng.choice(ORIGIN_CURRENCY.get(origin, ["USD"]))
            exporter = dict(name=rng.choice(EXPORTER_NAMES.get(origin, [GENERIC_EXPORTER.format(c=origin)])),
                            country=origin)
            consignee = self.party(company, with_category=False)
            declarant = self.party(broker if broker else company)
            trading, dispatch, destination = origin, origin, "KZ"
            if origin in ("DE", "IT", "PL", "FR", "ES", "HU", "GB") and rng.random() < 0.25:
                dispatch = rng.choice(["PL", "LT", "LV"])     # EU goods trucked from a Baltic/Polish hub
                if dispatch == origin:
                    dispatch = "LT"
            mode = {"CN": ["20", "30", "30", "20"], "KR": ["20", "10", "30"], "JP": ["20", "10"],
                    "US": ["40", "20"], "GB": ["30", "40"], "IR": ["10", "30"], "AE": ["40", "30"],
                    "IN": ["20", "40", "30"], "BR": ["20"], "NZ": ["20"], "LK": ["20"]}.get(origin, ["30", "30", "20"])
            mode = rng.choice(mode)
            n = self.n_items()
            items_spec = []
            for k in range(n):
                r = rng.random()
                if archs and r < 0.82:
                    items_spec.append((rng.choice(archs), origin))
                else:
                    items_spec.append((None, origin))       # generic background goods

        decl = {"id": None, "registered": date.isoformat(), "direction": "EK" if exporting else "IM",
                "procedure": "10" if exporting else "40", "customs_office": office,
                "exporter": exporter, "consignee": consignee, "declarant": declarant,
                "trading_country": trading, "dispatch_country": dispatch, "destination_country": destination,
                "contract_currency": currency, "border_transport_mode": mode,
                "container": mode in ("10", "20", "30") and rng.random() < 0.3,
                "_item_procedure": "1000000" if exporting else "4000000"}
        if exporting:
            decl["container"] = False
        items = []
        for k, (arch, origin) in enumerate(items_spec, start=1):
            if arch is None:
                items.append(self.generic_item(k, origin, decl))
            else:
                items.append(self.make_item(k, arch, origin, decl))
        decl["items"] = items
        decl["_scenario"] = scenario
        self.apply_scenario(decl, scenario)
        self.finish(decl, office, date)
        return decl

    # ---- injected risks (each meant for one profile; see expected_summary.md) ----------------
    def restricted(self, hs):
        return next(a for a in RESTRICTED if a["hs"] == hs)

    def replace_item(self, decl, arch, origin, permit=False, desc=None):
        rng = self.rng
        k = rng.randrange(len(decl["items"]))
        it = self.make_item(k + 1, arch, origin, decl)
        if desc:
            it["description"] = desc
        if permit:
            it["_permit"] = True
        decl["items"][k] = it
        return it

    def apply_scenario(self, d, s):
        rng = self.rng
        items = d["items"]
        with_ref = [it for it in items if reference_price(self.ref, it["hs_code"], it["origin"]) is not None]
        if s == "under60":
            it = rng.choice(with_ref) if with_ref else self.replace_item(d, ARCHETYPES[0], "CN")
            refp = reference_price(self.ref, it["hs_code"], it["origin"])
            it["customs_value"] = q2(it["net_weight"] * refp * Decimal(str(round(rng.uniform(0.36, 0.57), 3))))
            it["_invoice"] = q2(it["customs_value"] / Decimal("1.04"))
        elif s == "under30":
            it = rng.choice(with_ref) if with_ref else self.replace_item(d, ARCHETYPES[9], "CN")
            refp = reference_price(self.ref, it["hs_code"], it["origin"])
            it["customs_value"] = q2(it["net_weight"] * refp * Decimal(str(round(rng.uniform(0.1, 0.27), 3))))
            it["_invoice"] = q2(it["customs_value"] / Decimal("1.04"))
        elif s == "cv_below_invoice":
            it = rng.choice(items)
            it["_invoice"] = q2(it["customs_value"] * Decimal("1.25"))
            it["_force_invoice_value"] = True
        elif s == "invoice_total_high":
            d["_invoice_total_factor"] = Decimal("1.35")
        elif s == "bad_rate":
            d["_rate_factor"] = Decimal("0.86")
        elif s == "total_mismatch":
            d["_total_delta_frac"] = Decimal(rng.choice([-1, 1])) * Decimal(str(round(rng.uniform(0.02, 0.08), 3)))
        elif s == "method":
            it = max(items, key=lambda x: x["customs_value"])
            it["valuation_method"] = rng.choice([2, 3, 4, 6])
        elif s == "heavy_cheap":
            d["items"] = [self.make_item(1, next(a for a in ARCHETYPES if a["hs"] == "690721"), "CN", d)]
            it = d["items"][0]
            it["net_weight"] = Decimal("24000")
            it["gross_weight"] = Decimal("25100")
            it["customs_value"] = q2(Decimal("24000") * Decimal("95"))
            it["_invoice"] = q2(it["customs_value"] / Decimal("1.05"))
            it.pop("supplementary_quantity", None)
            it.pop("supplementary_unit", None)
        elif s == "symbolic":
            it = rng.choice(items)
            it["customs_value"] = q2(it["net_weight"] * Decimal("3.5"))
            it["_invoice"] = q2(it["customs_value"] / Decimal("1.04"))
        elif s == "gsp_wrong":
            it = rng.choice([x for x in items if x["origin"] not in ("IN", "EG", "LK")] or items)
            it["preference"] = "ОГОО"
            it["_certificate"] = True
        elif s == "fta_wrong":
            outside = [x for x in items if x["origin"] not in FREE_TRADE_ORIGINS]
            it = rng.choice(outside) if outside else self.replace_item(d, ARCHETYPES[0], "CN")
            it["preference"] = "ОСОО"
            it["_certificate"] = True
        elif s == "preference_no_cert":
            arch = next(a for a in ARCHETYPES if a["hs"] == "090230")
            it = self.replace_item(d, arch, "IN")
            it["preference"] = "ОГОО"
            it["_no_certificate"] = True
        elif s == "antidumping":
            arch = rng.choice([a for a in ARCHETYPES if a["hs"] in ("730419", "691110")])
            d["exporter"] = dict(name="Tianjin Hengyuan International Trade Co., Ltd.", country="CN")
            d["trading_country"] = "CN"
            self.replace_item(d, arch, rng.choice(["VN", "MY", "TH"]))
        elif s == "hub":
            d["dispatch_country"] = "AE"
            d["trading_country"] = "AE"
            d["exporter"] = dict(name=rng.choice(EXPORTER_NAMES["AE"]), country="AE")
            d["border_transport_mode"] = "40"
            d["container"] = False
            wanted = rng.choice(["851713", "847130", "330300"])
            arch = next(a for a in ARCHETYPES if a["hs"] == wanted)
            self.replace_item(d, arch, "CN")
            if d["declarant"].get("category") == "low":
                d["declarant"]["category"] = "medium"
        elif s == "eaeu_origin":
            arch = next(a for a in ARCHETYPES if a["hs"] == "180632")
            d["dispatch_country"] = "TR"
            self.replace_item(d, arch, "RU")
        elif s == "offshore":
            d["trading_country"] = rng.choice(["VG", "SC", "BZ", "MH"])
        elif s == "phone_misclassified":
            it = self.replace_item(d, next(a for a in ARCHETYPES if a["hs"] == "851713"), "CN")
            it["hs_code"] = rng.choice(["8543709000", "8529909700", "8517790009"])
            it["description"] = rng.choice(["Смартфон Redmi 13C, 128 ГБ", "Smartphone Honor X8b, 256 GB",
                                             "Ұялы телефон Tecno Spark 20"])
        elif s == "hybrid_as_ev":
            it = self.replace_item(d, next(a for a in ARCHETYPES if a["hs"] == "870380"), "CN")
            it["description"] = rng.choice(["Автомобиль легковой Li Auto L9, гибрид с увеличенным запасом хода",
                                             "Passenger car BYD Song Plus DM-i, plug-in hybrid (PHEV)",
                                             "Автомобиль Zeekr 9X, гибридный"])
        elif s == "tobacco_misclassified":
            it = self.replace_item(d, next(a for a in ARCHETYPES if a["hs"] == "392690"), "CN")
            it["hs_code"] = "2106909809"
            it["description"] = rng.choice(["Стики нагреваемые табачные TEREA", "Heated tobacco sticks",
                                             "Жевательный снюс без табака, никотиновые подушечки"])
        elif s == "spirits_as_soft_drinks":
            it = self.replace_item(d, next(a for a in ARCHETYPES if a["hs"] == "220210"), "TR")
            it["description"] = rng.choice(["Напиток «Водка Премиум», 0,5 л", "Коньяк армянский 5 лет, 0,5 л"])
        elif s == "garment_misclassified":
            it = self.replace_item(d, next(a for a in ARCHETYPES if a["hs"] == "620140"), "CN")
            it["hs_code"] = "6307909800"
            it["description"] = "Куртки мужские утеплённые"
        elif s == "footwear_as_parts":
            it = self.replace_item(d, next(a for a in ARCHETYPES if a["hs"] == "640411"), "CN")
            it["hs_code"] = "6406909000"
            it["description"] = rng.choice(["Кроссовки спортивные мужские", "Sneakers, men's, textile upper"])
        elif s == "vague":
            it = rng.choice(items)
            it["description"] = rng.choice(["товар", "Goods", "запчасти", "тауарлар", "n/a", "-"])
        elif s == "supplement_as_medicine":
            it = self.replace_item(d, next(a for a in ARCHETYPES if a["hs"] == "300490"), "CN")
            it["description"] = rng.choice(["БАД «Коллаген + витамин С», капсулы", "Dietary supplement, vitamin complex"])
        elif s == "weapon_no_licence":
            d["exporter"] = dict(name="Yavascalar Av Malzemeleri A.S.", country="TR")
            d["trading_country"] = d["dispatch_country"] = "TR"
            d["items"] = [self.make_item(1, self.restricted("930621"), "TR", d)]
        elif s == "weapon_watched":
            d["exporter"] = dict(name="Tabriz Hunting Goods Trading Co.", country="IR")
            d["trading_country"] = d["dispatch_country"] = "IR"
            d["items"] = [self.make_item(1, self.restricted("930320"), "TR", d)]
            d["items"][0]["_permit"] = True
        elif s == "precursor":
            arch = self.restricted(rng.choice(["293941", "293332"]))
            self.replace_item(d, arch, rng.choice(["IN", "PK"]), permit=False)
        elif s == "ods_no_licence":
            self.replace_item(d, self.restricted("290371"), "CN", permit=False)
        elif s == "dual_use_watched":
            d["dispatch_country"] = "IR"
            d["trading_country"] = "IR"
            d["border_transport_mode"] = "10"
            self.replace_item(d, self.restricted("845611"), "CN", permit=True)
        elif s == "dual_use_no_permit":
            self.replace_item(d, self.restricted("852691"), "CN", permit=False)
        elif s == "controlled_medicine":
            arch = next(a for a in ARCHETYPES if a["hs"] == "300490")
            it = self.replace_item(d, arch, "IN")
            it["hs_code"] = "3004490000"
            it["description"] = rng.choice(["Таблетки с кодеином, 10 мг", "Tramadol 50 mg capsules"])
        elif s == "container_narcotics_route":
            arch = next(a for a in ARCHETYPES if a["hs"] == "080620")
            d["items"] = [self.make_item(1, arch, "AF", d)]
            d["exporter"] = dict(name="Kabul Dried Fruit Export Co.", country="AF")
            d["trading_country"] = d["dispatch_country"] = "AF"
            d["border_transport_mode"] = "30"
            d["container"] = True
        elif s == "restricted_clean":
            arch = rng.choice(RESTRICTED)
            origin = rng.choice(list(arch["origins"]))
            self.replace_item(d, arch, origin, permit=True)
        elif s == "preference_clean":
            origin = rng.choice(["IN", "LK", "UZ", "VN"])
            arch = rng.choice([a for a in ARCHETYPES if origin in a["origins"]])
            it = self.replace_item(d, arch, origin)
            it["preference"] = "ОГОО" if origin in ("IN", "LK") else "ОСОО"
            it["_certificate"] = True
        elif s == "large_low":
            factor = Decimal(rng.randint(105, 180) * 1000000) / max(Decimal(1), sum(x["customs_value"] for x in d["items"]))
            factor = factor.quantize(Decimal("0.0001"))
            for it in d["items"]:
                if factor > 1:
                    it["net_weight"] = (it["net_weight"] * factor).quantize(Decimal("0.1"))
                    it["gross_weight"] = (it["net_weight"] * Decimal("1.06")).quantize(Decimal("0.001"))
                    it["customs_value"] = q2(it["customs_value"] * factor)
                    it["_invoice"] = q2(it["_invoice"] * factor)
                    if "supplementary_quantity" in it and it.get("supplementary_unit") != "796":
                        it.pop("supplementary_quantity")
                        it.pop("supplementary_unit")
                    elif "supplementary_quantity" in it:
                        it["supplementary_quantity"] = (it["supplementary_quantity"] * factor).quantize(Decimal("1"))

    def finish(self, d, office, date):
        rng = self.rng
        rate = self.rates.get(d["contract_currency"], Decimal(1))
        rate = (rate * Decimal(str(round(rng.uniform(0.97, 1.03), 4)))).quantize(Decimal("0.0001"))
        rate = rate * d.pop("_rate_factor", Decimal(1))
        usd = self.rates["USD"]
        transport_doc = {"10": "02011", "20": "02013", "30": "02015", "40": "02017"}.get(d["border_transport_mode"],
                                                                                           "02015")
        inv_no = f"INV-{date.year % 100:02d}-{rng.randint(100, 99999):05d}"
        for it in d["items"]:
            docs = []
            if rng.random() < 0.97:
                doc = {"kind": "04021"}
                if rng.random() < 0.8:
                    doc["number"] = inv_no
                if rng.random() < 0.6:
                    doc["date"] = (date - dt.timedelta(days=rng.randint(5, 60))).isoformat()
                docs.append(doc)
            if rng.random() < 0.6:
                docs.append({"kind": "03011", "number": f"{rng.randint(1, 250)}/{date.year - rng.randint(0, 2)}"})
            if rng.random() < 0.5:
                docs.append({"kind": transport_doc})
            if it.pop("_permit", False):
                docs.append({"kind": rng.choice(["01011", "01041", "01191"]),
                             "number": f"KZ{rng.randint(10, 99)}VTE{rng.randint(10000, 99999)}",
                             "date": (date - dt.timedelta(days=rng.randint(10, 200))).isoformat()})
            wants_cert = it.pop("_certificate", False)
            no_cert = it.pop("_no_certificate", False)
            if wants_cert and not no_cert:
                docs.append({"kind": rng.choice(["06011", "06012"]), "number": f"{it['origin']}-{rng.randint(1000, 9999)}"})
            if "preference" not in it and d["direction"] == "IM":
                r = rng.random()
                if r < 0.55:
                    it["preference"] = "ОООО"
            it["documents"] = docs
            invoice = it.pop("_invoice")
            if it.pop("_force_invoice_value", False) or rng.random() < 0.85:
                it["invoice_value"] = invoice
            if rng.random() < 0.8:
                it["statistical_value"] = q2(it["customs_value"] / usd)
            it["_invoice_for_total"] = invoice
        total = sum((it["customs_value"] for it in d["items"]), Decimal(0))
        inv_kzt = sum((it.pop("_invoice_for_total") for it in d["items"]), Decimal(0))
        inv_kzt *= d.pop("_invoice_total_factor", Decimal(1))
        d["total_customs_value"] = q2(total * (1 + d.pop("_total_delta_frac", Decimal(0))))
        # optional declaration fields
        opt = {}
        if rng.random() < 0.8:
            opt["delivery_terms"] = rng.choice(INCOTERMS)
        if d["_scenario"] in ("invoice_total_high", "bad_rate") or rng.random() < 0.88:
            opt["invoice_total"] = q2(inv_kzt / rate)
        if d["_scenario"] in ("invoice_total_high", "bad_rate") or rng.random() < 0.92:
            opt["exchange_rate"] = rate
        if rng.random() < 0.7:
            opt["transaction_nature"] = rng.choice(["010", "010", "010", "020"])
        if rng.random() < 0.6:
            opt["inland_transport_mode"] = rng.choice(["30", "30", "20"])
        if d["direction"] == "IM" and rng.random() < 0.7:
            opt["entry_office"] = rng.choice(ENTRY_OFFICES)
        d["_opt"] = opt
        d["id"] = f"{office}/{date.strftime('%d%m%y')}/{self.seq:07d}"

    # ---- JSON ------------------------------------------------------------------------------
    @staticmethod
    def to_json(d) -> dict:
        """Field order as in shared/spec/examples/01_valuation_declarations.jsonl, optional fields after."""
        out = {k: d[k] for k in ("id", "registered", "direction", "procedure", "customs_office", "exporter",
                                 "consignee", "declarant", "trading_country", "dispatch_country",
                                 "destination_country", "contract_currency", "border_transport_mode", "container")}
        out["total_customs_value"] = money_str(d["total_customs_value"])
        items = []
        for it in d["items"]:
            j = {"no": it["no"], "hs_code": it["hs_code"], "description": it["description"], "origin": it["origin"],
                 "gross_weight": dec_str(it["gross_weight"]), "net_weight": dec_str(it["net_weight"]),
                 "procedure": it["procedure"], "valuation_method": it["valuation_method"],
                 "customs_value": money_str(it["customs_value"]), "documents": it["documents"]}
            if "preference" in it:
                j["preference"] = it["preference"]
            if "supplementary_quantity" in it:
                j["supplementary_quantity"] = dec_str(it["supplementary_quantity"])
                j["supplementary_unit"] = it["supplementary_unit"]
            if "invoice_value" in it:
                j["invoice_value"] = money_str(it["invoice_value"])
            if "statistical_value" in it:
                j["statistical_value"] = money_str(it["statistical_value"])
            items.append(j)
        out["items"] = items
        for k, v in d["_opt"].items():
            if k == "exchange_rate":
                out[k] = dec_str(v, 4)
            elif k == "invoice_total":
                out[k] = money_str(v)
            else:
                out[k] = v
        return out


# Injected risks and how many declarations carry each (deterministic positions, see main()).
SCENARIOS = {
    "under60": 18, "under30": 4, "cv_below_invoice": 4, "invoice_total_high": 3, "bad_rate": 3,
    "total_mismatch": 3, "method": 8, "heavy_cheap": 1, "symbolic": 2,
    "gsp_wrong": 2, "fta_wrong": 2, "preference_no_cert": 2, "antidumping": 2, "hub": 3, "eaeu_origin": 2,
    "offshore": 3,
    "phone_misclassified": 2, "hybrid_as_ev": 2, "tobacco_misclassified": 2, "spirits_as_soft_drinks": 1,
    "garment_misclassified": 2, "footwear_as_parts": 2, "vague": 3, "supplement_as_medicine": 2,
    "weapon_no_licence": 1, "weapon_watched": 1, "precursor": 2, "ods_no_licence": 1, "dual_use_watched": 1,
    "dual_use_no_permit": 1, "controlled_medicine": 1, "container_narcotics_route": 2,
    "first_time": 14, "consignee_no_id": 5,
    # clean variants that must NOT fire (negative controls) and shape the blue share
    "restricted_clean": 6, "preference_clean": 8, "large_low": 4, "export": 24,
}

BAD_KINDS = ["not_json", "missing_registered", "hs_letter", "bad_date", "not_json", "missing_customs_value",
             "hs_letter", "bad_date"]


def corrupt(kind: str, line: str) -> str:
    obj = json.loads(line)
    if kind == "not_json":
        return line[: len(line) // 2]                      # truncated mid-record: not JSON
    if kind == "missing_registered":
        del obj["registered"]                              # a required declaration field
    elif kind == "missing_customs_value":
        del obj["items"][0]["customs_value"]               # a required item field
    elif kind == "hs_letter":
        code = obj["items"][-1]["hs_code"]
        obj["items"][-1]["hs_code"] = code[:4] + "O" + code[5:]   # a letter O typed for a zero
    elif kind == "bad_date":
        obj["registered"] = "2025-02-30"
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(HERE, "declarations.jsonl"))
    ap.add_argument("--hs", default=None, help="path of harmonized-system.csv (HS 2022)")
    args = ap.parse_args()
    g = Generator(find_hs_csv(args.hs))
    rng = g.rng

    plan = [s for s, n in SCENARIOS.items() for _ in range(n)]
    plan += ["clean"] * (N_DECLARATIONS - len(plan))
    rng.shuffle(plan)
    bad_positions = sorted(rng.sample(range(10, N_DECLARATIONS - 5), len(BAD_KINDS)))
    dates = g.registered_dates()

    lines = []
    for k in range(N_DECLARATIONS):
        decl = g.build(dates[k], plan[k])
        lines.append(json.dumps(g.to_json(decl), ensure_ascii=False, separators=(",", ":")))
    for pos, kind in zip(bad_positions, BAD_KINDS):
        lines[pos] = corrupt(kind, lines[pos])
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        for line in lines:
            f.write(line + "\n")
    print(f"wrote {len(lines)} declarations to {os.path.relpath(args.out)} "
          f"({len(bad_positions)} deliberately bad lines at {', '.join(str(p + 1) for p in bad_positions)})")


if __name__ == "__main__":
    main()
