"""Regex-based statement extraction: direct quotes, their speakers, and reported speech.

Rules, in the order they are tried for each quotation (“…”, "…", «…», „…“, ‘…’, 「…」, 『…』):

1. after the quote: a speech cue then the speaker (`”, said Park Min-seo`, `", kata X`,
   `“, sagte die Sprecherin …, X`, `», — заявил X`), or the speaker then the cue (`”, Rutte
   said`, `”, he added`, `", tambahnya`, `“, so Müller`);
2. before the quote, in the same sentence: a speaker and a cue (`Rutte melanjutkan: “…”`,
   `The Kremlin denied it, saying: “…”`, `X menekankan bahwa … “…”`);
3. a quote that is a whole sentence right after an attributed statement in the same
   paragraph continues it (same speaker).

Pronouns (he/she/dia/-nya/er/sie/il/elle/él/ella/он/она) resolve to the speaker named last
before the cue; surnames alone resolve to a full name given earlier ("Rutte" -> "Mark
Rutte"); titles before a name are dropped ("Menteri Pertahanan Kim Yong-hyun" -> "Kim
Yong-hyun"). Unquoted reported speech (`X said that …`, `X mengatakan bahwa …`, `X erklärte,
dass …`, `X said the …`, `X sagte, die …`, `Menurut X, …`, `…, kata X.`, `…, the ministry
said.`) gives statements of kind `indirect`. A quote with no speaker found is not a
statement; nor is a short scare quote ("a gimmick") with no cue beside it.

Arabic text (most of its letters Arabic, whatever the language hint says) goes to
`newswatch.statements.arabic`, which finds speakers by word order and word lists instead.

Limits: names are found by capital letters, so other scripts without case (CJK names) get
no speakers; German reported speech carried only by the subjunctive is not recognised.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from newswatch.statements.arabic import extract_arabic, is_arabic
from newswatch.statements.arabic import fold as fold_arabic

# --- quotation marks -------------------------------------------------------------------------

# Bounds on hostile input: the text read, and the longest stretch handled as one paragraph.
MAX_BODY = 200_000
MAX_PARAGRAPH = 5_000

_QUOTE_RE = re.compile(
    r"“(?P<a>[^“”\n]+)[”“]"  # English “…” (and the odd “…“)
    r"|„(?P<b>[^„“”\n]+)[“”]"  # German/Polish „…“
    r'|"(?P<c>[^"\n]+)"'  # straight quotes
    r"|«(?P<d>[^«»\n]+)»"  # guillemets
    r"|»(?P<e>[^«»\n]+)«"  # German reversed guillemets
    r"|(?<![\w])‘(?P<f>[^‘’\n]+)’(?![\w])"  # single curly (not apostrophes)
    r"|「(?P<g>[^「」\n]+)」"
    r"|『(?P<h>[^『』\n]+)』"
    r"|‚(?P<i>[^‚‘’\n]+)[‘’]"  # German single low
)
QUOTE_CHARS = '“”„‟"«»‹›‘’‚‛「」『』'

# --- speech cues -----------------------------------------------------------------------------

# Verbs that introduce or follow a quotation. Lower case; matched on word boundaries.
_CUES = {
    "en": (
        "said|says|say|added|adds|told|tells|stated|states|declared|explained|explains|warned|"
        "warns|noted|notes|insisted|argued|wrote|writes|replied|answered|continued|claimed|"
        "claims|stressed|emphasised|emphasized|announced|confirmed|denied|recalled|"
        "acknowledged|admitted|asked|concluded|observed|remarked|suggested|maintained|"
        "saying|adding|telling|warning|explaining"
    ),
    "id": (
        "kata|katanya|ujar|ujarnya|tutur|tuturnya|ucap|ucapnya|jelas|jelasnya|tambah|"
        "tambahnya|imbuh|imbuhnya|ungkap|ungkapnya|terang|terangnya|tegas|tegasnya|"
        "mengatakan|menyatakan|menjelaskan|menegaskan|menambahkan|mengungkapkan|menekankan|"
        "menjawab|melanjutkan|mengklaim|menyebut|menyebutkan|membantah|berkata|mengakui|"
        "menuturkan|memperingatkan|mengimbau|menilai|mengutarakan|menerangkan|bilang|"
        "mengingatkan"
    ),
    "de": (
        "sagte|sagt|sagten|erklärte|erklärt|erklärten|betonte|betont|meinte|meint|warnte|"
        "warnt|bestätigte|schrieb|antwortete|ergänzte|unterstrich|behauptete|kritisierte|"
        "mahnte|versicherte|fügte|teilte|teilten|kündigte|kündigten|so"
    ),
    "fr": (
        "a déclaré|a dit|a affirmé|a ajouté|a expliqué|a souligné|a assuré|a indiqué|"
        "a précisé|a estimé|a averti|a répondu|déclare|dit|affirme|explique|ajoute|souligne|"
        "estime|assure|indique|précise|a-t-il déclaré|a-t-elle déclaré|a-t-il dit|"
        "a-t-elle dit|a-t-il ajouté|a-t-elle ajouté|a-t-il expliqué|a-t-elle expliqué|"
        "déclarait|affirmait"
    ),
    "es": (
        "dijo|afirmó|declaró|añadió|explicó|aseguró|señaló|indicó|agregó|sostuvo|advirtió|"
        "dice|afirma|asegura|explica|subrayó|destacó|respondió|insistió"
    ),
    "ru": (
        "заявил|заявила|заявили|сказал|сказала|сказали|отметил|отметила|отметили|добавил|"
        "добавила|подчеркнул|подчеркнула|пояснил|пояснила|рассказал|рассказала|сообщил|"
        "сообщила|сообщили|ответил|ответила|признал|признала|считает|заявляет|говорит|"
        "уточнил|уточнила|предупредил|предупредила"
    ),
}
_ALL_CUES = sorted({c for group in _CUES.values() for c in group.split("|")}, key=len, reverse=True)
_CUE_ALT = "|".join(re.escape(c) for c in _ALL_CUES)
# Words that can introduce reported speech: "that" and its siblings.
_THAT = r"(?:that|bahwa|bahwasanya|kalau|dass|daß|que|qu'|что|чтобы)"
_HAS_THAT = re.compile(r"(?<!\w)" + _THAT + r"(?!\w)", re.IGNORECASE)
_THAT_WORDS = {"that", "bahwa", "bahwasanya", "kalau", "dass", "daß", "que", "что", "чтобы"}

_PRONOUNS = {
    "he", "she", "they", "dia", "ia", "beliau", "mereka", "er", "sie", "il", "elle", "ils",
    "elles", "él", "ella", "ellos", "он", "она", "они",
}  # fmt: skip
_NYA_CUES = {
    "katanya", "ujarnya", "tuturnya", "ucapnya", "jelasnya", "tambahnya", "imbuhnya",
    "ungkapnya", "terangnya", "tegasnya",
}  # fmt: skip
_ARTICLES = {
    "the", "a", "an", "der", "die", "das", "des", "dem", "den", "ein", "eine", "einer",
    "le", "la", "les", "l'", "el", "los", "las", "un", "une", "una", "sang", "seorang",
}  # fmt: skip
# Words that are a role, not a name: dropped from the front of a speaker.
_TITLES = {
    "president", "presiden", "präsident", "präsidentin", "président", "presidente", "prime",
    "minister", "ministerin", "ministre", "ministro", "menteri", "foreign", "defence",
    "defense", "interior", "finance", "secretary", "sekretaris", "general", "jenderal",
    "leader", "pemimpin", "chancellor", "kanzler", "bundeskanzler", "bundeskanzlerin",
    "mr", "mrs", "ms", "dr", "prof", "sir", "herr", "frau", "m.", "mme", "sr.", "sra.",
    "pak", "bu", "bapak", "ibu", "luar", "negeri", "pertahanan", "dalam", "keuangan",
    "gubernur", "governor", "mayor", "wali", "kota", "walikota", "juru", "bicara", "kepala",
    "ketua", "wakil", "deputy", "vice", "chief", "senator", "senior", "former", "mantan",
    "spokesman", "spokeswoman", "spokesperson", "sprecher", "sprecherin", "ceo", "director",
    "direktur", "direktor", "direktorin", "commander", "komandan", "king", "queen", "pope",
    "raja", "paus", "premierminister", "außenminister", "außenministerin", "generalsekretär",
    "министр", "президент", "глава", "генсек", "пресс-секретарь", "representative", "rep.",
    "sen.", "gov.", "gen.", "col.", "lt.", "sgt.", "capt.", "insp.", "brigjen", "irjen",
    "kapolri", "kapolda", "kapolres", "ayatollah", "sheikh", "syekh", "haji", "hj.", "h.",
    "detective", "inspector", "sergeant", "constable", "superintendent", "captain",
    "lieutenant", "colonel", "major", "admiral", "coach", "bishop", "archbishop", "rabbi",
    "imam", "professor", "doctor", "justice", "attorney", "prosecutor", "chairman",
    "chairwoman", "ambassador", "envoy", "commissioner", "sheriff", "marshal", "principal",
    "headteacher", "pusat", "kabid", "kasubdit", "direktorat", "staf",
    "speaker", "house", "administrator", "state", "utama", "umum", "eksekutif", "perdagangan",
    "kesehatan", "pendidikan", "perhubungan",
    "pertanian", "agama", "sosial", "bumn", "perindustrian", "koordinator", "hukum",
    "ketenagakerjaan", "pariwisata", "lingkungan", "hidup", "kehutanan", "perumahan",
    "councillor", "councilman", "councilwoman", "judge", "bupati", "camat", "pengamat",
    "pedagang", "warga", "bernama", "jefe", "jefa", "alcalde", "alcaldesa",
    "maire", "député", "sénateur", "oberbürgermeister", "bürgermeister", "landrat",
}  # fmt: skip
_TITLE_STEMS = (
    "minister", "präsident", "kanzler", "sprecher", "direktor", "leiter", "forscher",
    "expert", "dezernent", "chef", "beauftragt", "vorsitzend", "bürgermeister", "secretary",
    "officer", "official", "analyst", "manager", "researcher", "professor", "menteri",
    "министр", "ведущ", "vorstand", "vorsitz", "sekretär", "berater", "vertreter",
    "kommissar", "anwalt", "richter", "kandidat", "ökonom", "wissenschaftler", "politiker",
    "aktivist", "präsidentin",
)  # fmt: skip
_GEO = {
    "russia", "rusia", "russian", "russischen", "russische", "ukraine", "ukraina", "ukrainian",
    "us", "u.s.", "as", "amerika", "american", "korea", "korean", "utara", "selatan", "north",
    "south", "german", "jerman", "deutsche", "deutschen", "indonesia", "ri", "china", "chinese",
    "tiongkok", "french", "prancis", "britain", "british", "inggris", "nato", "eu", "uni",
    "eropa", "european", "japan", "jepang", "japanese", "israel", "israeli", "iran", "iranian",
    "россии", "российский", "украины", "сша", "kremlin", "jawa", "barat", "timur", "tengah",
    "sumatera", "kalimantan", "sulawesi", "jakarta", "dki", "bali", "papua", "aceh", "riau",
    "banten", "yogyakarta", "diy", "nusa", "tenggara", "maluku",
}  # fmt: skip
# Organisation nouns that speak without a name ("the ministry said").
_ORG_NOUNS = {
    "ministry", "government", "police", "army", "military", "agency", "company", "council",
    "court", "embassy", "office", "department", "commission", "committee", "kremlin",
    "pentagon", "kementerian", "pemerintah", "polisi", "kepolisian", "istana", "ministerium",
    "regierung", "polizei", "bundesregierung", "behörde", "ministère", "gouvernement",
    "ministerio", "gobierno", "министерство", "правительство", "кремль", "мид", "минобороны",
    "verkehrsministerium", "innenministerium", "außenministerium", "library", "bank", "club",
    "union", "operator", "airline", "regulator", "firm", "utility", "school",
    "university", "hospital",
}  # fmt: skip
_PREPOSITIONS = {
    "in", "of", "from", "at", "for", "with", "by", "to", "di", "dari", "ke", "untuk", "oleh",
    "dengan", "im", "aus", "bei", "mit", "nach", "für", "en", "à", "au", "dans", "sur", "pour",
    "в", "из", "на", "от",
}  # fmt: skip
# Titles followed by a place before the name ("Wali Kota Bekasi Tri Handoko").
_PLACE_TITLES = {
    "kota", "walikota", "gubernur", "bupati", "camat", "kapolda", "kapolres", "mayor",
    "governor", "bürgermeister", "oberbürgermeister", "landrat", "maire", "alcalde",
}  # fmt: skip
_ORG_HEADS = {
    "kementerian", "badan", "ministry", "department", "bundesministerium", "ministerium",
    "министерство", "ministère", "ministerio", "komisi", "dewan", "majelis", "lembaga",
}  # fmt: skip
_NAME_PARTICLES = {"von", "van", "bin", "binti", "ibn", "al", "el", "de", "da", "del", "ter"}
# Lower-case words allowed between a speaker and the cue ("Putin earlier said").
_GAP_WORDS = {
    "earlier", "also", "later", "previously", "has", "had", "have", "then", "once", "again",
    "sebelumnya", "juga", "pun", "telah", "sudah", "kemudian", "pernah", "lalu", "kembali",
    "bereits", "auch", "zuvor", "hat", "habe", "später", "dann", "kürzlich", "ранее", "также",
    "уже", "a", "avait", "aussi", "también", "ya", "recently", "baru-baru", "ini", "kini",
}  # fmt: skip

_TOKEN_RE = re.compile(r"[^\W\d_][\w'’.\-]*|\d[\w.,]*|[^\w\s]", re.UNICODE)
_WORD_RE = re.compile(r"\w+", re.UNICODE)
_SENT_END_RE = re.compile(r"[.!?…](?:[”\"»’」』]+)?\s+(?=[^\W\d_\"“„«‘「]|[\"“„«‘「])")

# After a quote: `, said X` / `— заявил X` / `, kata X` (cue first)
_AFTER_CUE_FIRST = re.compile(
    r"^\s*[,.!?…]?\s*(?:[—–-]+\s*)?(?P<cue>" + _CUE_ALT + r")(?:\s+(?:hinzu|an|ein))?\b"
    r"(?P<rest>[^.;:!?\n]*(?:\.(?=\S)[^.;:!?\n]*)*)",
)
# After a quote: `, Rutte said` / `, he added` / `, the Kremlin said` (speaker first)
_AFTER_SPEAKER_FIRST = re.compile(
    r"^\s*[,.!?…]?\s*(?:[—–-]+\s*)?(?P<who>[^\s,.;:!?\"“”«»„]+(?:\s+[^\s,.;:!?\"“”«»„]+){0,5}?)"
    r"\s+(?P<cue>" + _CUE_ALT + r")\b",
)
# A speaker phrase and a cue ending right before the quote: `X said: ` / `dia menjawab: `
_BEFORE_CUE = re.compile(r"(?P<cue>" + _CUE_ALT + r")(?:\s+\w+){0,4}\s*[:,]?\s*$")
_CUE_IN = re.compile(r"(?<![\w-])(?P<cue>" + _CUE_ALT + r")(?![\w-])")


ANTECEDENT_WINDOW = 3000  # characters before a pronoun searched for the speaker it stands for

_MID_CLAUSE_RE = re.compile(
    r"^[^.!?\n“”\"«»„]{1,60}?,\s*(?P<cue>" + _CUE_ALT + r")\s+(?P<rest>[^.;:!?\n]+)",
)


@dataclass
class _Stmt:
    start: int
    end: int
    quote: str
    who: str  # raw speaker phrase (name, pronoun, "-nya")
    cue: str
    kind: str
    resolved: str = ""


# --- names -------------------------------------------------------------------------------------


def _is_cap(tok: str) -> bool:
    return bool(tok) and tok[0].isupper()


def _is_title(tok: str) -> bool:
    low = tok.lower().rstrip(",")
    if low in _TITLES:
        return True
    return len(low) > 5 and any(stem in low for stem in _TITLE_STEMS)


def _cap_runs(text: str) -> list[tuple[int, int, list[str]]]:
    """Runs of capitalised words (with name particles and title words inside), as spans."""
    runs: list[tuple[int, int, list[str]]] = []
    cur: list[str] = []
    start = end = 0
    for m in re.finditer(r"[^\s,;:!?()\[\]\"“”«»„]+", text):
        tok = m.group().rstrip(".") if not re.fullmatch(r"(?:\w\.)+", m.group()) else m.group()
        gap = text[end : m.start()] if cur else ""
        joinable = not cur or (gap.strip() == "" and "\n" not in gap)
        is_name = _is_cap(tok) or (cur and tok.lower() in _NAME_PARTICLES)
        if is_name and joinable:
            if not cur:
                start = m.start()
            cur.append(tok)
            end = m.start() + len(tok)
            if m.group().endswith(".") and not re.fullmatch(r"(?:\w\.)+", m.group()):
                runs.append((start, end, cur))
                cur = []
            continue
        if cur:
            runs.append((start, end, cur))
            cur = []
        if is_name:
            start, end, cur = m.start(), m.start() + len(tok), [tok]
    if cur:
        runs.append((start, end, cur))
    # Trailing particles are not part of a name.
    out = []
    for s, e, toks in runs:
        while toks and toks[-1].lower() in _NAME_PARTICLES:
            toks = toks[:-1]
        if toks:
            out.append((s, e, toks))
    return out


def _name_from_tokens(toks: list[str]) -> str:
    """Drop articles and titles (and a country right after a title) from a capitalised run."""
    toks = [t for t in toks if t]
    while toks and (toks[0].lower() in _ARTICLES or toks[0].lower() in _LEADING_STOP):
        toks = toks[1:]
    while toks and toks[0].lower() in _TIME_WORDS:
        toks = toks[1:]
    while toks and toks[-1].lower() in _TIME_WORDS:
        toks = toks[:-1]
    poss = [i for i, t in enumerate(toks[:-1]) if re.search(r"['’]s$", t)]
    if poss and len(toks) - poss[-1] - 1 >= 2:
        toks = toks[poss[-1] + 1 :]
    if toks and toks[0].lower() in _ORG_HEADS:
        return " ".join(toks)
    last_title = -1
    for i, tok in enumerate(toks):
        if _is_title(tok):
            last_title = i
    if last_title >= 0:
        place = toks[last_title].lower() in _PLACE_TITLES
        toks = toks[last_title + 1 :]
        n = len(toks)
        while len(toks) > 2 and toks[0].lower().rstrip("'s’") in _GEO:
            toks = toks[1:]
        if place and len(toks) >= 3 and len(toks) == n:
            toks = toks[1:]
    # an organisation's acronym before the name ("Pusat Gempa BMKG Rahmat Hidayat")
    acronyms = [i for i, t in enumerate(toks) if len(t) > 1 and t.isupper() and t.isalpha()]
    if acronyms and len(toks) - acronyms[-1] - 1 >= 2:
        toks = toks[acronyms[-1] + 1 :]
        while len(toks) > 1 and toks[0].lower().rstrip("'s’") in _GEO:
            toks = toks[1:]
        while len(toks) > 1 and toks[0].lower() in _TITLES | _GEO:
            toks = toks[1:]
    # Possessives ("Korea's") end in an organisation, not a person.
    if toks and re.search(r"['’]s$", toks[-1]):
        return ""
    return " ".join(toks)


def _speaker_phrase(phrase: str) -> str:
    """The speaker in the words right after a cue: `Park Min-seo, a spokeswoman`, `juru
    bicara …, Park Min-seo`, `die Sprecherin …, X`, `ведущий специалист … Ирина Соколова`."""
    phrase = phrase.strip()
    if not phrase:
        return ""
    low = phrase.lower()
    first_word = low.split()[0]
    if first_word in _PRONOUNS:
        return first_word
    # the Kremlin / the ministry
    m = re.match(r"(?:the|die|das|der|le|la|el)\s+(\w+)", phrase, re.IGNORECASE)
    if m and m.group(1).lower() in _ORG_NOUNS:
        word = m.group(1)
        return word if _is_cap(word) else f"the {word}"
    segments = [s.strip() for s in phrase.split(",")]
    head = segments[0]
    descriptive = bool(head) and not _is_cap(head)
    if descriptive:
        for seg in segments[1:3]:
            runs = _cap_runs(seg)
            if runs and runs[0][0] == 0 and runs[0][1] >= len(seg.rstrip(" .")) - 1:
                name = _name_from_tokens(runs[0][2])
                if name:
                    return name
    runs = _cap_runs(head)
    art = re.match(r"(?:der|die|das|den|dem|des|el|la|le)\s+", head, re.IGNORECASE)
    if art and runs and runs[0][0] == art.end() and len(runs[0][2]) >= 3:
        # German nouns are capitalised: "die Ökonomin Lea Hartmann" -> a role, then the name
        runs[0] = (runs[0][0], runs[0][1], runs[0][2][1:])
    for _s, _e, toks in runs[:2]:
        name = _name_from_tokens(toks)
        if name:
            return name
    return ""


_RELATIVE_RE = re.compile(
    r",\s*(?:who|which|yang|der|die|das|qui|quien|quienes|который|которая|которые)\b[^,]*,\s*$",
    re.IGNORECASE,
)
_TIME_WORDS = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "senin",
    "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu", "montag", "dienstag", "mittwoch",
    "donnerstag", "freitag", "samstag", "sonntag", "january", "february", "march", "april",
    "june", "july", "august", "september", "october", "november", "december", "today",
    "yesterday", "twitter", "facebook", "instagram", "x", "telegram",
}  # fmt: skip
_LEADING_STOP = {
    "whatever", "some", "however", "meanwhile", "sebaliknya", "namun", "also", "still",
    "even", "only", "instead", "allerdings", "jedoch", "to", "for", "from", "with",
    "menurut", "laut", "selon", "según", "according", "pada", "when", "after", "as", "while",
    "but", "and", "tetapi", "sementara", "aber", "und", "mais", "et", "pero", "y",
}  # fmt: skip


def _speaker_before(text: str) -> str:
    """The speaker ending a stretch of text right before a cue: `Menteri … Kim Yong-hyun`,
    `the Kremlin`, `he`, `NATO`, `Zelensky sebelumnya`."""
    text = _RELATIVE_RE.sub(" ", text)
    words = list(re.finditer(r"[^\s,;:!?()\"“”«»„]+", text))
    # skip gap words between speaker and cue
    i = len(words) - 1
    skipped = 0
    while i >= 0 and words[i].group().lower() in _GAP_WORDS and skipped < 3:
        i -= 1
        skipped += 1
    if i < 0:
        return ""
    # nothing but spaces may follow the speaker (or a comma closing an apposition)
    tail = text[words[i].end() :]
    appositive = False
    if re.search(r"[,;:!?()\"“”«»„]", tail):
        if not re.fullmatch(r"\s*,\s*", tail):
            return ""
        appositive = True
    last = words[i].group()
    low = last.lower()
    if low in _PRONOUNS and not appositive:
        return low
    near = {w.group().lower() for w in words[max(0, i - 3) : i]}
    if low in _ORG_NOUNS and not _is_cap(last) and near & (_ARTICLES | {"its", "their"}):
        return f"the {low}"
    before_last = words[i - 1].group() if i > 0 else ""
    if (
        low in _ORG_NOUNS
        and _is_cap(last)
        and (not _is_cap(before_last) or before_last.lower() in _ARTICLES)
    ):
        return last
    runs = _cap_runs(text[: words[i].end()])
    if not runs:
        return ""
    s, e, toks = runs[-1]
    if e < words[i].end() - 1:
        return ""
    if appositive and not re.search(r",\s*$", text[:s]):
        return ""
    prev_word = re.search(r"(\w+)\s*$", text[:s])
    if prev_word and prev_word.group(1).lower() in _PREPOSITIONS:
        return ""
    if (
        prev_word
        and prev_word.group(1).lower() in {"des", "de", "du", "der", "of"}
        and len(toks) >= 3
    ):
        toks = toks[1:]
    # a sentence-initial article belongs to the run
    return _name_from_tokens(toks)


# --- helpers -----------------------------------------------------------------------------------


def _sentence_start(text: str, pos: int, floor: int) -> int:
    best = floor
    for m in _SENT_END_RE.finditer(text, floor, min(len(text), pos + 1)):
        if m.end() <= pos:
            best = m.end()
    return best


def _clean_quote(q: str) -> str:
    q = q.strip().strip(QUOTE_CHARS).strip()
    q = re.sub(r"\s+", " ", q)
    return q.rstrip(",;:—–- ").rstrip()


def _trim_final(q: str) -> str:
    """Drop one final full stop; keep ? and !"""
    q = _clean_quote(q)
    return q[:-1].rstrip() if q.endswith(".") and not q.endswith("..") else q


def _words(s: str) -> int:
    return len(_WORD_RE.findall(s))


def _ends_sentence(q: str) -> bool:
    return bool(re.search(r"[.!?…,]\s*$", q))


# --- main --------------------------------------------------------------------------------------


_NOT_SPEAKERS = {
    "i", "we", "you", "it", "this", "that", "these", "those", "there", "here", "what", "who",
    "when", "but", "and", "or", "if", "as", "so", "ini", "itu", "kami", "saya", "kita",
    "anda", "ich", "wir", "es", "das", "je", "nous", "yo", "nosotros", "я", "мы", "это",
}  # fmt: skip


def _plausible_speaker(name: str) -> bool:
    toks = name.split()
    if not toks or toks[0].lower() in _NOT_SPEAKERS or name.lower() in _PRONOUNS:
        return False
    # shouting ("GET OUT") is not a name; a single acronym (NATO, PLN) is
    return not (len(toks) > 1 and all(t.isupper() for t in toks))


def extract_statements(body: str, language: str | None = None) -> list[dict[str, Any]]:
    """Statements in `body`: [{quote, speaker, cue, language, kind}] in document order."""
    if not body:
        return []
    lang = (language or "").split("-")[0].lower() or None
    body = body[:MAX_BODY]
    if is_arabic(body):
        return extract_arabic(body, lang)
    found: list[_Stmt] = []
    for start, end in _paragraph_spans(body):
        found.extend(_paragraph(body, start, end))
    _resolve(body, found)
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, str, str]] = set()
    for st in found:
        if not st.resolved or not st.quote or not _plausible_speaker(st.resolved):
            continue
        key = (st.resolved, normalise_quote(st.quote), st.kind)
        if key in seen:
            continue
        seen.add(key)
        out.append(
            {
                "quote": st.quote,
                "speaker": st.resolved,
                "cue": st.cue,
                "language": lang,
                "kind": st.kind,
            }
        )
    return out


def _paragraph_spans(body: str) -> Iterator[tuple[int, int]]:
    """Paragraphs (lines) of the body; one longer than MAX_PARAGRAPH (a page whose text came
    out as one line) is cut at sentence ends, so the work per paragraph stays bounded."""
    for para in re.finditer(r"[^\n]+", body):
        if not para.group().strip():
            continue
        start, end = para.start(), para.end()
        while end - start > MAX_PARAGRAPH:
            cut = body.rfind(". ", start, start + MAX_PARAGRAPH)
            if cut <= start:
                cut = body.rfind(" ", start, start + MAX_PARAGRAPH)
            cut = cut + 1 if cut > start else start + MAX_PARAGRAPH
            yield start, cut
            start = cut
        yield start, end


def _paragraph(text: str, start: int, end: int) -> list[_Stmt]:
    para = text[start:end]
    quotes = []
    for qm in _QUOTE_RE.finditer(para):
        inner = next(g for g in qm.groups() if g is not None)
        quotes.append((start + qm.start(), start + qm.end(), inner))
    stmts: list[_Stmt] = []
    indirect = _indirect(text, start, end, [(qs, qe) for qs, qe, _ in quotes])
    prev: _Stmt | None = None
    for qs, qe, inner in quotes:
        earlier = [
            st for st in indirect if st.start < qs and (prev is None or st.start > prev.start)
        ]
        if earlier:
            prev = earlier[-1]
        quote = _trim_final(inner)
        if not quote:
            continue
        who, cue = "", ""
        # 1. after the quote
        after = text[qe:end]
        nxt = after.lstrip()[:1]
        closed = bool(re.search(r"[.!?…]\s*$", inner)) and not (nxt in ",—–-" or nxt.islower())
        m = None if closed else _AFTER_CUE_FIRST.match(after)
        if m:
            cand = _speaker_phrase(m.group("rest"))
            if "-t-il" in m.group("cue").lower() or "-t-elle" in m.group("cue").lower():
                cand = "il" if "-t-il" in m.group("cue").lower() else "elle"
            if m.group("cue").lower() == "so" and len(m.group("rest").split()) > 4:
                cand = ""
            if m.group("cue").lower() in _NYA_CUES:
                cand = cand or "-nya"
            if cand:
                who, cue = cand, m.group("cue")
        if not who and not closed:
            mid = _MID_CLAUSE_RE.match(after)
            if mid:
                cand = _speaker_phrase(mid.group("rest"))
                if cand:
                    who, cue = cand, mid.group("cue")
        if not who and not closed:
            m2 = _AFTER_SPEAKER_FIRST.match(after)
            if m2:
                cand = _speaker_before(m2.group("who"))
                if cand:
                    who, cue = cand, m2.group("cue")
        # 2. before the quote, same sentence
        if not who:
            s0 = _sentence_start(text, qs, start)
            before = text[s0:qs]
            if not re.search(r"[“”\"«»„]", before.strip()[-1:] or "x"):
                for cm in reversed(list(_CUE_IN.finditer(before))):
                    if cm.group("cue").lower() == "so":
                        continue
                    cand = _speaker_before(before[: cm.start()])
                    if not cand and re.fullmatch(r"\s*[:,]?\s*", before[cm.end() :]):
                        # "…, dengan mengatakan:" — the subject opens the sentence
                        head = before[: cm.start()]
                        runs = _cap_runs(head)
                        if runs and runs[0][0] <= 4:
                            cand = _name_from_tokens(runs[0][2])
                        elif head.split() and head.split()[0].lower() in _PRONOUNS:
                            cand = head.split()[0].lower()
                    if cand:
                        who, cue = cand, cm.group("cue")
                        break
        # 3. a whole-sentence quote continuing the previous statement
        if not who and prev is not None:
            gap = text[prev.end : qs]
            whole = _ends_sentence(inner) or re.match(r"\s*[.!?]", text[qe : qe + 2] or "")
            short_gap = len(gap.split()) <= 2 and not any(_is_cap(w) for w in gap.split())
            if whole and (short_gap or _starts_sentence(text, qs, start)):
                who, cue = prev.who, prev.cue
        if not who:
            continue
        if _words(quote) < 3 and not (_ends_sentence(inner.strip()) and _words(quote) >= 1):
            # a short scare quote: only with a cue right next to it
            near = text[max(start, qs - 3) : qs] + text[qe : qe + 3]
            if not re.search(r"[:,]", near):
                continue
        st = _Stmt(qs, qe, quote, who, cue, "direct")
        stmts.append(st)
        prev = st
        # the clause after `said X` may itself end at the next quote; keep `prev.end` there
        if m and who and cue:
            prev.end = qe + (m.end() if m else 0)
    stmts.extend(indirect)
    stmts.sort(key=lambda s: s.start)
    return stmts


def _starts_sentence(text: str, qs: int, floor: int) -> bool:
    before = text[floor:qs].rstrip()
    return not before or before[-1] in '.!?…:”"»'


_INDIRECT_RE = re.compile(
    r"(?<![\w-])(?P<cue>" + _CUE_ALT + r")(?P<gap>(?:\s+[^\s,.;:!?\"“”«»„]+){0,7}?)"
    r"\s*,?\s+" + _THAT + r"\s+(?P<content>[^\n]+)",
)
_POSTPOSED_RE = re.compile(
    r",\s*(?P<cue>said|says|kata|ujar|tutur|sagte|sagt|erklärte|dijo|a déclaré|a dit|"
    r"заявил|заявила|сказал|сказала)\s+(?P<who>[^.;!?\n]+)[.;!?]?\s*$",
)


_BARE_CUES = (
    r"said|says|told\s+(?:reporters|journalists|parliament|lawmakers)|mengatakan|menyatakan|"
    r"menyebut|menilai|mengaku|menegaskan|menjelaskan|mengungkapkan|mengklaim|"
    r"sagte,|sagt,|erklärte,|betonte,|teilte\s+mit,|teilten\s+mit,|sagten,|"
    r"kündigte\s+an,|kündigten\s+an,"
)
_BARE_RE = re.compile(r"(?<![\w-])(?P<cue>" + _BARE_CUES + r")\s+(?P<content>\w[^\n]*)")
_NOT_CLAUSE = _PREPOSITIONS | _GAP_WORDS | _THAT_WORDS | {
    "while", "when", "as", "during", "last", "this", "yesterday", "today", "tomorrow",
    "recently", "earlier", "later", "in", "at", "amid", "despite", "although", "though",
    "pada", "hari", "kepada", "dalam", "saat", "ketika", "on", "after", "before",
    "am", "vor", "nach", "gegenüber", "dem", "der", "den", "so", "nothing", "yes", "no",
    "goodbye", "farewell", "sorry", "thanks",
}  # fmt: skip
_ACCORDING_RE = re.compile(
    r"(?:^|(?<=\s))(?P<cue>menurut|according\s+to|laut|selon|según|по\s+словам)\s+"
    r"(?P<who>[^,.;:\n]{2,60}),\s*(?P<content>[^\n]+)",
    re.IGNORECASE,
)
_POSTPOSED_WHO_RE = re.compile(
    r",\s*(?P<who>[^,;:\"“”«»„]{2,60}?)\s+(?P<cue>(?:said|says|announced|reported|confirmed|added|warned)(?:\s+on\s+\w+)?)(?:\s*,[^\n]*)?\s*[.!?]?\s*$",
)


def _indirect(text: str, start: int, end: int, direct: list[tuple[int, int]]) -> list[_Stmt]:
    out: list[_Stmt] = []
    # sentences of the paragraph
    bounds = [start]
    for bm in _SENT_END_RE.finditer(text, start, end):
        bounds.append(bm.end())
    bounds.append(end)
    for s, e in zip(bounds, bounds[1:], strict=False):
        sent = text[s:e]
        if not sent.strip():
            continue
        has_quote = any(qs < e and qe > s for qs, qe in direct)
        m = _INDIRECT_RE.search(sent) if _HAS_THAT.search(sent) else None
        if m:
            cue = m.group("cue")
            if cue.lower() in _NYA_CUES or cue.lower() == "so":
                m = None
        if m:
            who = _speaker_before(sent[: m.start()])
            first = sent.split()[0].lower() if sent.split() else ""
            if not who and first in _PRONOUNS:
                who = first
            gap = m.group("gap")
            if who and not re.search(r"[“”\"«»„]", gap):
                content = _cut_content(m.group("content"))
                if _words(content) >= 4 and not _mostly_quote(content):
                    out.append(_Stmt(s + m.start(), s + m.end(), content, who, cue, "indirect"))
                    continue
        b = _BARE_RE.search(sent)
        if b:
            first = b.group("content").split()[0].lower().strip(",")
            who = _speaker_before(sent[: b.start()])
            fw = sent.split()[0].lower() if sent.split() else ""
            if not who and fw in _PRONOUNS and not re.search(r"[,;]", sent[: b.start()]):
                who = fw
            content = _cut_content(b.group("content"))
            if (
                who
                and first not in _NOT_CLAUSE
                and _words(content) >= 3
                and not _mostly_quote(content)
                and (content[:1].islower() or content[:1].isdigit())
            ):
                out.append(
                    _Stmt(s + b.start(), s + b.end(), content, who, b.group("cue"), "indirect")
                )
                continue
        a = _ACCORDING_RE.search(sent)
        if a:
            phrase = a.group("who").strip()
            last_word = phrase.split()[-1].lower() if phrase.split() else ""
            named_last = _is_cap(phrase.split()[-1]) if phrase.split() else False
            ok = named_last or last_word in _ORG_NOUNS or last_word in _PRONOUNS
            who = _speaker_phrase(phrase) if ok else ""
            content = _cut_content(a.group("content"))
            if who and _words(content) >= 3:
                cue = re.sub(r"\s+", " ", a.group("cue")).lower()
                out.append(_Stmt(s + a.start(), s + a.end(), content, who, cue, "indirect"))
                continue
        if has_quote and sent.lstrip()[:1] in QUOTE_CHARS:
            continue
        pw = _POSTPOSED_WHO_RE.search(sent.rstrip())
        if pw:
            who = _speaker_before(pw.group("who"))
            clause = sent[: pw.start()].strip()
            if who and _words(clause) >= 5 and _is_cap(clause):
                out.append(_Stmt(s, e, _trim_final(clause), who, pw.group("cue"), "indirect"))
                continue
        p = _POSTPOSED_RE.search(sent.rstrip())
        if p:
            who = _speaker_phrase(p.group("who"))
            clause = sent[: p.start()].strip()
            if who and _words(clause) >= 5 and _is_cap(clause):
                out.append(_Stmt(s, e, _trim_final(clause), who, p.group("cue"), "indirect"))
    return out


def _cut_content(content: str) -> str:
    content = content.strip()
    m = re.search(r"[.!?](?:\s|$)", content)
    if m:
        content = content[: m.start()]
    return _clean_quote(content)


def _mostly_quote(content: str) -> bool:
    stripped = content.strip()
    return bool(stripped) and stripped[0] in QUOTE_CHARS and stripped[-1:] in QUOTE_CHARS


# --- resolution ------------------------------------------------------------------------------


def _resolve(text: str, stmts: list[_Stmt]) -> None:
    """Pronouns -> the speaker named last before the cue; surnames -> full names."""
    full: dict[str, str] = {}  # surname (or Korean family name) -> full name
    for st in stmts:
        who = st.who
        if who in _PRONOUNS or who == "-nya" or not who or not _is_cap(who):
            continue
        toks = who.split()
        if len(toks) >= 2:
            full.setdefault(toks[-1].lower(), who)
            if "-" in toks[-1]:
                full.setdefault(toks[0].lower(), who)
    for st in stmts:  # first names, after surnames ("ujar Dewi")
        toks = st.who.split()
        if len(toks) >= 2 and _is_cap(st.who) and toks[0].lower() not in _ARTICLES:
            full.setdefault(toks[0].lower(), st.who)

    memo: dict[str, str] = {}

    def canonical(name: str) -> str:
        if name not in memo:
            memo[name] = _canonical(name)
        return memo[name]

    def _canonical(name: str) -> str:
        toks = name.split()
        if len(toks) != 1:
            return name
        if toks[0].lower() in full:
            return full[toks[0].lower()]
        return _full_name_in_text(text, name) or name

    short: dict[str, str] = {}
    for st in stmts:
        if st.who not in short:
            short[st.who] = _shorten(text, st.who)
        st.who = short[st.who]
    names = sorted({canonical(st.who) for st in stmts if st.who not in _PRONOUNS | {"-nya"}})
    for st in stmts:
        if st.who in _PRONOUNS or st.who == "-nya":
            st.resolved = _last_named(text, st.start, names, full)
        else:
            st.resolved = canonical(st.who)


def _shorten(text: str, name: str) -> str:
    """A long run that kept some role words ("Detective Inspector Sam Price") is cut at the
    surname the text uses alone ("Price said") or the first name ("ujar Rahmat")."""
    toks = name.split()
    if len(toks) < 3 or not _is_cap(name) or any("-" in t for t in toks):
        return name
    for i in range(1, len(toks)):
        tok = toks[i]
        for m in re.finditer(r"(?<![\w-])" + re.escape(tok) + r"(?![\w-])", text):
            before = text[max(0, m.start() - 40) : m.start()].split()
            after = text[m.end() : m.end() + 40].split()
            if (before and _is_cap(before[-1]) and before[-1][-1:].isalpha()) or (
                after and _is_cap(after[0]) and after[0][:1].isalpha()
            ):
                continue
            return " ".join(toks[i - 1 :]) if i == len(toks) - 1 else " ".join(toks[i:])
    return name


def _full_name_in_text(text: str, surname: str) -> str:
    """The first "First Surname" (titles dropped) the text gives for a lone surname."""
    for m in re.finditer(r"(?<!\w)" + re.escape(surname) + r"(?!\w)", text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        runs = _cap_runs(text[line_start : m.end()])
        if not runs or runs[-1][1] != m.end() - line_start:
            continue
        nxt = text[m.end() : m.end() + 40]
        if re.match(r"\s+[^\W\d_]", nxt) and _is_cap(nxt.split()[0]):
            continue  # not the end of the name
        name = _name_from_tokens(runs[-1][2])
        if len(name.split()) >= 2 and name.split()[-1] == surname:
            return name
    # a first name used alone ("ujar Dewi") for "Dewi Lestari" spoken of earlier
    fm = re.search(r"(?<!\w)" + re.escape(surname) + r"\s+([^\W\d_][\w-]+)", text)
    if fm and _is_cap(fm.group(1)) and not _is_title(fm.group(1)):
        return f"{surname} {fm.group(1)}"
    return ""


def _last_named(text: str, pos: int, names: list[str], full: dict[str, str]) -> str:
    best, best_pos = "", -1
    window = text[max(0, pos - ANTECEDENT_WINDOW) : pos]
    candidates = [(n, n) for n in names if n]
    candidates += [(surname, name) for surname, name in full.items()]
    for needle, name in candidates:
        for m in re.finditer(r"(?<!\w)" + re.escape(needle) + r"(?!\w)", window, re.IGNORECASE):
            if m.start() > best_pos:
                best, best_pos = name, m.start()
    if not best:
        # nobody has spoken yet: the last person named before the pronoun
        for _s, _e, toks in reversed(_cap_runs(window[-600:])):
            name = _name_from_tokens(toks)
            if len(name.split()) >= 2 and not any(t.lower() in _GEO for t in name.split()):
                return name
    return best


# --- fingerprint -----------------------------------------------------------------------------


def normalise_quote(quote: str) -> str:
    """Case, punctuation, quotation marks and white space folded away (and Arabic marks and
    spelling variants: "نقدّر" and "نقدر" are one word)."""
    text = fold_arabic(unicodedata.normalize("NFKC", quote)).casefold()
    text = re.sub(r"[\W_]+", " ", text)
    return text.strip()


def normalise_speaker(speaker: str) -> str:
    text = fold_arabic(unicodedata.normalize("NFKC", speaker)).casefold()
    text = re.sub(r"[\W_]+", " ", text).strip()
    words = text.split()
    while words and words[0] in _ARTICLES:
        words = words[1:]
    return " ".join(words)


def statement_fingerprint(quote: str, speaker: str) -> str:
    """The same quote by the same speaker, however an outlet punctuated it, gives one value."""
    key = normalise_speaker(speaker) + "\x1f" + normalise_quote(quote)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
