"""Generate a deterministic multilingual news-like corpus for the benchmark (``--languages``).

Articles in English, Russian, German, French, Spanish and Turkish (or any subset), in turn: a
title, a date line written the language's way (``30 июля 2020 г.``, ``30. Juli 2020``, ``30 de
julio de 2020``: Babel's CLDR formats), and paragraphs of words drawn by a Zipf law from a small
vocabulary written here per language, with its inflected forms and accented words, and recurring
multi-word names in several grammatical forms (``Минская группа``, ``Минской группы``).
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

FIRST_DAY = dt.date(2016, 1, 1)
SPAN_DAYS = (dt.date(2023, 12, 31) - FIRST_DAY).days

WORDS = {
    "en": """the of to and in that for on said was with as at by from his be has but are not they this
        were which will had its been would who their more also after year government minister president
        state percent officials country talks negotiations prices oil bank market security military
        economic trade police agreement deal election party vote border forces ceasefire sanctions
        inflation growth company workers energy exports capital parliament crisis budget""",
    "ru": """и в не на что с по как из за от о для к до это он но также его было был были года году
        правительство правительства правительством министр министра министром президент президента
        президентом президенту переговоры переговоров переговорах страна страны стране страну цены цен
        нефть нефти банк банка рынок рынка безопасность безопасности экономика экономики торговля
        соглашение соглашения выборы выборов граница границы войска перемирие санкции санкций
        инфляция рост компания компании ещё её объём встреча встречи встречу""",
    "de": """der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch es an
        werden aus er hat dass sie nach wird bei Regierung Regierungen Minister Ministerin Präsident
        Präsidenten Verhandlung Verhandlungen Land Länder Preise Öl Bank Banken Markt Märkte Sicherheit
        Wirtschaft Handel Polizei Abkommen Wahl Wahlen Grenze Straße Straßen Österreich Münchner
        Waffenruhe Sanktionen Inflation Wachstum Unternehmen Arbeiter Energie Ausfuhr Hauptstadt""",
    "fr": """de la le et les des en un du une que est pour qui dans a par plus pas au sur se ne il sont
        gouvernement gouvernements ministre ministres président présidente présidents négociation
        négociations pays prix pétrole banque banques marché marchés sécurité économie économique
        commerce police accord accords élection élections frontière frontières forces cessez-le-feu
        sanctions inflation croissance entreprise entreprises travailleurs énergie été déjà où""",
    "es": """de la que el en y a los se del las un por con no una su para es al lo como más pero sus
        gobierno gobiernos ministro ministra ministros presidente presidenta presidentes negociación
        negociaciones país países precios petróleo banco bancos mercado mercados seguridad economía
        económica comercio policía acuerdo acuerdos elección elecciones frontera fronteras fuerzas
        sanciones inflación crecimiento empresa empresas trabajadores energía exportaciones capital""",
    "tr": """ve bir bu da de için ile olarak çok daha en gibi ama sonra kadar göre hükümet hükümeti
        hükümetin bakan bakanı bakanlığı cumhurbaşkanı cumhurbaşkanının görüşme görüşmeler görüşmeleri
        ülke ülkenin fiyat fiyatlar petrol banka bankası piyasa piyasalar güvenlik ekonomi ekonomik
        ticaret polis anlaşma anlaşması seçim seçimler sınır sınırı kuvvetler ateşkes yaptırımlar
        enflasyon büyüme şirket şirketler işçiler enerji ihracat başkent İstanbul Türkiye""",
}

NAMES = {
    "en": ["Minsk group", "European Central Bank", "Gdańsk", "Stamenković", "Nagorno-Karabakh"],
    "ru": ["Минская группа", "Минской группы", "Минскую группу", "Москва", "Москве", "Москвы"],
    "de": ["Europäische Zentralbank", "Europäischen Zentralbank", "in Österreich", "Wiener Straße"],
    "fr": ["Banque centrale européenne", "groupe de Minsk", "Élysée", "Genève"],
    "es": ["Banco Central Europeo", "grupo de Minsk", "Bogotá", "Unión Europea"],
    "tr": ["Avrupa Merkez Bankası", "Minsk Grubu", "Şuşa", "Dışişleri Bakanlığı"],
}

DATE_FORMATS = {
    "en": "d MMMM y",
    "ru": "d MMMM y 'г.'",
    "de": "d. MMMM y",
    "fr": "d MMMM y",
    "es": "d 'de' MMMM 'de' y",
    "tr": "d MMMM y",
}


class Maker:
    def __init__(self, language: str, rng: random.Random) -> None:
        self.language = language
        self.rng = rng
        self.words = WORDS[language].split()
        self.weights = [1.0 / (rank + 1) ** 1.05 for rank in range(len(self.words))]

    def sentence(self) -> str:
        n = self.rng.randint(6, 22)
        words = self.rng.choices(self.words, self.weights, k=n)
        if self.rng.random() < 0.35:
            words.insert(self.rng.randrange(len(words)), self.rng.choice(NAMES[self.language]))
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    def article(self, date: dt.date) -> str:
        from babel.dates import format_date

        title = " ".join(self.rng.choices(self.words[20:], k=self.rng.randint(3, 7)))
        line = format_date(date, DATE_FORMATS[self.language], locale=self.language)
        words = int(min(1500, max(100, self.rng.lognormvariate(5.6, 0.6))))
        paragraphs, count = [], 0
        while count < words:
            paragraph = " ".join(self.sentence() for _ in range(self.rng.randint(2, 5)))
            paragraphs.append(paragraph)
            count += len(paragraph.split())
        return f"{title[0].upper()}{title[1:]}\n\n{line}\n\n" + "\n\n".join(paragraphs) + "\n"


def generate(out_dir: Path, articles: int, languages: list[str], seed: int = 1) -> list[Path]:
    """Write ``articles`` files under ``out_dir``, the ``languages`` in turn."""
    rng = random.Random(seed)
    makers = [Maker(code, rng) for code in languages]
    paths = []
    for i in range(articles):
        maker = makers[i % len(makers)]
        date = FIRST_DAY + dt.timedelta(days=rng.randrange(SPAN_DAYS))
        path = out_dir / maker.language / f"{date:%Y}" / f"{maker.language}-{i:06d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(maker.article(date), encoding="utf-8")
        paths.append(path)
    return paths


#: Queries per language: (kind, our query, FTS5 expression). FTS5 (porter) and bare Whoosh
#: (English stemming) run the same text: they find fewer forms, at their own cost.
QUERIES = {
    "en": [("term", "negotiation", "negotiation"), ("phrase", '"Minsk group"', '"Minsk group"')],
    "ru": [
        ("term", "президент", "президент"),
        ("phrase", '"Минская группа"', '"Минская группа"'),
        ("folded", "еще", "еще"),
    ],
    "de": [("term", "Verhandlung", "Verhandlung"), ("folded", "Osterreich", "Osterreich")],
    "fr": [("term", "négociation", "négociation"), ("folded", "president", "president")],
    "es": [("term", "negociación", "negociación"), ("two words", "Banco Central", "Banco Central")],
    "tr": [("term", "görüşme", "görüşme"), ("folded", "Susa", "Susa")],
}
