"""Statements in Arabic text: direct quotes and reported speech, with their speakers.

Arabic has no capital letters, so the rules of `extract` (names found by their capitals)
cannot work here; these rules go by speech verbs, word order and small word lists instead.

Direct quotes («…», “…”, ”…“, "…"):

1. introduced, verb first (the usual order), the speaker after the verb and before a colon
   or the particle إن/أن: `وقال الوزير سامي حداد: «…»`, `وقالت المتحدثة باسم الهيئة بارك
   مين سو للصحفيين في سيول: «…»`, `وقال الوسيط سامر الحداد إن «…»`; also subject first
   (`الوزير سامي حداد قال: «…»`, `وكانت الوزارة قد أعلنت: «…»`);
2. attributed after the quote: `«…»، قال المتحدث باسم الوزارة.`, `«…»، بحسب X`,
   `«…»، على حد قولها`;
3. a quote that is a whole sentence right after an attributed one continues it.

Reported speech (kind `indirect`): a speech verb, its speaker, then إن/أن and the clause
(`قال X إن …`, `أكدت الوزارة أن …`, `أشار إلى أن …`, `مضيفاً أن …`), and `بحسب X، …`.

Speakers: the words after the verb up to a preposition, a time word, إن/أن or punctuation;
titles and descriptions before the name are dropped (words with the article ال, role words
such as وزير/مديرة/متحدث, `باسم X`, country names): "المتحدثة باسم الهيئة بارك مين سو" ->
"بارك مين سو". Without a name the role or body is the speaker ("الكرملين", "وزير الدفاع",
"وزارة الخارجية الروسية"); a bare role used again ("وقالت المتحدثة") is the person last
named with it. No speaker named (`وأضاف: «…»`, `وأوضحت أن …`): the last speaker before it,
of the verb's gender when the verb shows it (قالت and أضافت are feminine). Anonymous and
generic sources (مسؤول، مصدر، محللون، خبراء، مستوردون…) are not speakers, and a verb
without a speaker after one of them does not reach back past it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# --- letters -----------------------------------------------------------------------------------

_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640"  # harakat, Quranic marks, tatweel
_MARKS_RE = re.compile(f"[{_MARKS}]")
_ARABIC_LETTER = re.compile(r"[\u0620-\u063f\u0641-\u064a\u066e-\u06d3\u06fa-\u06ff]")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f\u0400-\u04ff]")
_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})
# Word lists keep alef maqsura apart: "على" (on) is not the name "علي".
_LEX = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه"})


def fold(text: str) -> str:
    """Arabic spelling variants folded: marks and tatweel dropped, hamza-on-alef forms,
    alef maqsura and ta marbuta written one way. Other scripts are left alone."""
    return _MARKS_RE.sub("", text).translate(_FOLD)


def is_arabic(text: str) -> bool:
    """Most of the letters are Arabic."""
    if not _ARABIC_LETTER.search(text):
        return False
    arabic = len(_ARABIC_LETTER.findall(text))
    return arabic >= len(_LATIN_LETTER.findall(text))


def _lex(word: str) -> str:
    """A word as the word lists below hold it."""
    return _MARKS_RE.sub("", word).translate(_LEX)


def _words(spec: str) -> frozenset[str]:
    return frozenset(_lex(w) for w in spec.split())


# --- speech verbs ------------------------------------------------------------------------------

# (forms, gender): m / f / p (plural) / None (not shown). Participles (قائلاً) and present
# tense forms included; a leading و or ف (and) is taken off before the lookup.
_CUE_TABLE: tuple[tuple[str, str | None], ...] = (
    ("قال أكد صرح أضاف أعلن أوضح أشار شدد ذكر تابع أفاد نفى حذر كشف اعتبر أردف أقر زعم لفت "
     "تساءل أبلغ", "m"),
    ("قالت أكدت صرحت أضافت أعلنت أوضحت أشارت شددت ذكرت تابعت أفادت نفت حذرت كشفت اعتبرت "
     "أردفت أقرت زعمت لفتت تساءلت أبلغت", "f"),
    ("قالوا أكدوا صرحوا أضافوا أعلنوا أوضحوا أشاروا شددوا ذكروا أفادوا نفوا حذروا اعتبروا",
     "p"),
    ("يقول يؤكد يضيف يعلن يوضح يشير يشدد يرى يعتبر يحذر", "m"),
    ("تقول تؤكد تضيف تعلن توضح تشير تشدد ترى تعتبر تحذر", "f"),
    ("يقولون يؤكدون يرون", "p"),
    ("قائلا مؤكدا مضيفا معلنا موضحا مشيرا مشددا محذرا معتبرا متابعا مصرحا", "m"),
    ("قائلة مؤكدة مضيفة معلنة موضحة مشيرة مشددة محذرة معتبرة متابعة مصرحة", "f"),
)  # fmt: skip
_CUES: dict[str, str | None] = {
    _lex(form): gender for forms, gender in _CUE_TABLE for form in forms.split()
}
_PARTICIPLES = _words(" ".join(forms for forms, _ in _CUE_TABLE[6:]))
# Verbs of opinion: only for reported speech with a named speaker, never for quotes.
_OPINION = _words("يرى ترى يرون يعتبر تعتبر اعتبر اعتبرت اعتبروا")
# "according to": بحسب X / وفقاً لـ X / على حد قوله
_ACCORDING = _words("بحسب حسب وفق وفقا طبقا")
_AS_HE_SAID = {
    _lex("قوله"): "m", _lex("قولها"): "f", _lex("تعبيره"): "m", _lex("تعبيرها"): "f",
    _lex("قولهم"): "p",
}  # fmt: skip

# إن / أن and their forms with an attached pronoun ("إنها", "بأنه").
_THAT = _words(
    "إن أن ان بأن بان إنه إنها إنهم إنهما أنه أنها أنهم أنهما بأنه بأنها بأنهم انه انها انهم إنّ أنّ"
)
_NOT_SPEECH_BEFORE_THAT = _words("بعد قبل منذ رغم دون حتى غير إلا الا لو بدل")
# A denied or negated verb is not a statement ("ولم تؤكد موسكو ...").
_NEGATIONS = _words("لا لم لن ما ولا ولم ولن وما فلا فلم")

# --- word lists for speaker phrases ------------------------------------------------------------

# End a speaker phrase outright.
_HARD_STOPS = _THAT | _words(
    "و أو او ثم لا لم لن ولا ولم ولن التي الذي الذين اللذين اللتين وهو وهي وهم كما لأن "
    "لان ما يوم اليوم أمس امس مساء صباح "
    "ليلة الليلة ظهر السبت الأحد الاثنين الإثنين الثلاثاء الأربعاء الخميس الجمعة به بها "
    "له لها لهم عنه عنها فيه فيها إليه إليها عليه عليها منه منها معه معها خلال أمام امام "
    "عبر أثناء اثناء حين عندما بينما بعدما حيث قد لقد إذ إذا عقب"
)
# Prepositions: end a phrase that has a name; inside a title they may lead to the name
# ("سفير روسيا في واشنطن أناتولي ...").
_PREPOSITIONS = _words("في من إلى الى على عن مع لدى بين ضد نحو بعد قبل منذ حول")
# Media a speaker talks to: "لوكالة", "لقناة" end the phrase.
_TO_MEDIA = _words(
    "لوكالة لقناة لصحيفة لموقع لشبكة لإذاعة لاذاعة لتلفزيون لرويترز لفرانس لوسائل لمجلة لبرنامج"
)
# Nouns that are the occasion, never a name: "في بيان", "في مؤتمر صحفي".
_NOT_NAMES = _words(
    "بيان مؤتمر تصريح تصريحات مقابلة حديث كلمة خطاب تغريدة منشور رسالة حوار لقاء اجتماع "
    "جلسة تقرير إفادة افادة اتصال مكالمة بث تسجيل فيديو مداخلة رد ردا وقت وقتا هامش ختام "
    "أعقاب اعقاب افتتاح مستهل بداية نهاية سياق إطار اطار معرض صفحته صفحتها حسابه حسابها "
    "منصة موقع"
)
# Roles written without the article (in a construct: "وزير الخارجية", "مديرة المشروع").
_TITLES = _words(
    "وزير وزيرة رئيس رئيسة مدير مديرة متحدث متحدثة المتحدث نائب نائبة سفير سفيرة أمين "
    "امين قائد قائدة مستشار مستشارة عضو عضوة زعيم زعيمة ملك ملكة أمير أميرة ولي الشيخ "
    "شيخ الدكتور الدكتورة د. دكتور المهندس المهندسة مهندس مهندسة الأستاذ الأستاذة أستاذ "
    "أستاذة مساعد مساعدة محافظ محافظة عمدة قاضي قاضية النائب مفوض مفوضة منسق منسقة ممثل "
    "ممثلة مبعوث مبعوثة مندوب مندوبة مراسل مراسلة رئيسا نائبا مدعي المدعي الجنرال جنرال "
    "اللواء لواء العقيد عقيد العميد عميد الفريق المقدم الرائد النقيب الرئيس الوزير "
    "الباحث الباحثة باحث باحثة الخبير الخبيرة الوسيط الوسيطة وسيط وسيطة المحلل المحللة "
    "باسم السيد السيدة الأمين العام عام"
)
# Institutions: a role's place of work ("مديرة مستشفى ...") or a body speaking as a whole
# ("وزارة الصحة", "منظمة الصحة العالمية"): part of a title, not the start of a name.
_INSTITUTIONS = _words(
    "مستشفى شركة جامعة بلدية مدرسة بنك مصرف معهد مركز مؤسسة منظمة وكالة صندوق مجلس دائرة "
    "صحيفة قناة شبكة مجلة إذاعة مكتب مجموعة نقابة اتحاد غرفة سلطة محكمة جمعية وزارة هيئة "
    "لجنة إدارة ادارة قيادة"
)
# Places before a name are part of its title ("سفير روسيا لدى ...", "رئيس وزراء اليابان").
_PLACES = _words(
    "روسيا أوكرانيا اوكرانيا الصين إيران ايران إسرائيل اسرائيل أمريكا أميركا امريكا "
    "الولايات واشنطن موسكو كييف بكين طهران باريس لندن برلين سوريا لبنان مصر العراق الأردن "
    "الاردن تركيا قطر فلسطين اليمن السعودية الإمارات الامارات الكويت البحرين عمان المغرب "
    "الجزائر تونس ليبيا السودان كوريا اليابان فرنسا ألمانيا المانيا بريطانيا إيطاليا "
    "إسبانيا الهند باكستان أفغانستان سيول بيونغ يانغ الرياض القاهرة بغداد دمشق بيروت عمان "
    "الدوحة أبوظبي دبي غزة القدس الناتو أوروبا اوروبا الاتحاد الأوروبي الأمم المتحدة "
    "وزراء الوزراء"
)
# Anonymous or generic sources: never a speaker ("وقال مسؤول", "ويقول محللون").
_GENERIC = _words(
    "مسؤول مسؤولة مسؤولون مسؤولين مصدر مصادر محلل محللة محللون محللين خبير خبيرة خبراء "
    "شهود شاهد سكان ناشطون ناشطين ناشط مراقبون مراقبين دبلوماسي دبلوماسيون دبلوماسيين "
    "مستوردون مستوردين تجار مواطنون مواطنين وسائل تقارير تقرير صحف مصدرا مسؤولا البعض بعض "
    "آخرون آخرين أحد احد كثيرون مسؤولو مسؤولي خبراء المسؤول المسؤولون المصدر المصادر "
    "المحللون الخبراء الشهود السكان مستثمرون مستثمرين متعاملون متعاملين وسطاء الوسطاء"
)
_CONJ = ("و", "ف")
_WORD_RE = re.compile(r"[^\s«»“”„\"‹›،,؛;:.!?؟()\[\]{}…]+")
_PUNCT_END = re.compile(r"[،,:؛;.!?؟«»“”„\"()\[\]…]")
_QUOTE_RE = re.compile(r"«(?P<a>[^«»\n]+)»|“(?P<b>[^“”\n]+)”|”(?P<c>[^“”\n]+)“|\"(?P<d>[^\"\n]+)\"")
_SENT_END = re.compile(r"[.!?؟](?=\s|$)|\n")
_MASK = "x"


def _key(word: str) -> str:
    return _lex(word).strip("ـ-–—'’")


def _cue_of(word: str) -> tuple[str, str | None] | None:
    """(the verb as written without its conjunction, gender) for a speech verb."""
    key = _key(word)
    if key in _CUES:
        return word, _CUES[key]
    if len(key) > 3 and key[0] in _CONJ and key[1:] in _CUES:
        return word[1:], _CUES[key[1:]]
    return None


def _speech_verb(words: list[str], i: int) -> tuple[str, str | None] | None:
    """The speech verb at words[i], unless negated by the word before it."""
    cue = _cue_of(words[i])
    if cue is None or (i > 0 and _key(words[i - 1]) in _NEGATIONS):
        return None
    return cue


def _strip_conj(key: str) -> str:
    return key[1:] if len(key) > 3 and key[0] in _CONJ else key


# --- speaker phrases ---------------------------------------------------------------------------


@dataclass
class _Speaker:
    name: str = ""  # the speaker as the statement gives it ("" when none is written)
    title: str = ""  # the role words in front of the name, or the role alone
    named: bool = False  # a name, not only a role
    generic: bool = False  # "an official", "analysts": not a speaker


def _speaker(span: str) -> _Speaker:
    """The speaker at the start of `span` (the words right after a speech verb)."""
    found = _speaker_words(span)
    cut = _PUNCT_END.search(span)
    if found.title and not found.named and cut and span[cut.start()] in "،,":
        # a role, then the name set off by commas: "مديرة المستشفى، سلمى حداد، إن ..."
        rest = span[cut.end() :]
        segment = rest[: m.start()] if (m := _PUNCT_END.search(rest)) else rest
        apposed = _speaker_words(segment)
        if apposed.named and not apposed.title and len(_WORD_RE.findall(segment)) <= 4:
            return _Speaker(apposed.name, found.title, named=True)
    return found


def _apposed(between: str, speaker: _Speaker) -> bool:
    """Commas that only set off the speaker's name: "مديرة المستشفى، سلمى حداد،"."""
    parts = re.split(r"[،,]", between)
    return speaker.named and len(parts) <= 3 and speaker.name in parts[1]


def _is_role(key: str) -> bool:
    return key.startswith("ال") or key in _TITLES or key in _INSTITUTIONS or key in _PLACES


def _speaker_words(span: str) -> _Speaker:
    cut = _PUNCT_END.search(span)
    words = [m.group() for m in _WORD_RE.finditer(span[: cut.start()] if cut else span)][:14]
    words = [w for w in words if any(ch.isalpha() for ch in w)]  # not a dash or a number
    keys = [_key(w) for w in words]
    title: list[str] = []
    name: list[str] = []
    i = 0
    while i < len(words):
        word, key = words[i], keys[i]
        nxt = keys[i + 1] if i + 1 < len(words) else ""
        if _cue_of(word) is not None and (name or title):
            break
        if not name:
            if key in _HARD_STOPS or key in _TO_MEDIA:
                break
            if key in _PREPOSITIONS or key.startswith("لل"):
                # inside a title ("الأمين العام للأمم المتحدة ...", "سفير روسيا في واشنطن
                # ..."), unless what follows cannot lead to a name ("للصحفيين في سيول", "في
                # بيان", "على هامش المؤتمر")
                if not title or not nxt or nxt in _HARD_STOPS | _PREPOSITIONS | _NOT_NAMES:
                    break
                if nxt.startswith("لل") or nxt in _TO_MEDIA:
                    break
                if key in _PREPOSITIONS and not (nxt.startswith("ال") or nxt in _PLACES):
                    break
                title.append(word)
                i += 1
                continue
            if key in _NOT_NAMES:
                break
            if not title and _strip_conj(key) in _GENERIC:
                return _Speaker(generic=True)
            if _is_role(key):
                title.append(word)
            else:
                name.append(word)
        else:
            if (
                key in _TITLES
                and nxt
                and not (
                    _is_role(nxt) or nxt in _HARD_STOPS | _PREPOSITIONS | _NOT_NAMES | _TO_MEDIA
                )
            ):
                # what looked like a name was a place of work: "مديرة مستشفى سرحان الدكتورة
                # سلمى حداد" -> the name starts after the role word
                title.extend(name)
                title.append(word)
                name = []
                i += 1
                continue
            stop = (
                key in _HARD_STOPS
                or key in _PREPOSITIONS
                or key in _TO_MEDIA
                or key in _NOT_NAMES
                or key.startswith("لل")
                or key in _TITLES
                or len(name) >= 5
            )
            if stop:
                break
            name.append(word)
        i += 1
    while title and _key(title[-1]) in _PREPOSITIONS | {_lex("باسم")}:
        title.pop()
    if name:
        return _Speaker(" ".join(name), " ".join(title), named=True)
    if title:
        head = _key(title[0])
        head = head[2:] if head.startswith("ال") and len(head) > 4 else head
        if head in _GENERIC or "ال" + head in _GENERIC:
            return _Speaker(generic=True)
        return _Speaker(" ".join(title), " ".join(title))
    return _Speaker()


def _subject_before(clause: str) -> _Speaker:
    """The subject of a verb written after it: "وكانت الوزارة قد أعلنت" / "الوزير سامي قال"."""
    clause = clause.strip()
    m = re.search(r"(?:^|\s)[وف]?كان[ت]?\s+(?P<who>.+?)\s+قد\s*$", clause)
    if m:
        return _speaker(m.group("who"))
    words = _WORD_RE.findall(clause)
    if not 0 < len(words) <= 6 or any(_cue_of(w) for w in words):
        return _Speaker()
    if not _is_role(_key(words[0])):
        return _Speaker()  # a role opens a subject written first: "الوزير سامي حداد قال"
    found = _speaker(clause)
    if found.name and _WORD_RE.findall(found.name)[-1] == words[-1]:
        return found
    return _Speaker()


def _verb_subject(verb: str, clause: str) -> _Speaker:
    """The subject of a verb with nothing after it: written before it ("الوزير قال",
    "وكانت الوزارة قد أعلنت"), or none (a pronoun: "وأضاف", "مضيفاً")."""
    key = _key(verb)
    if re.search(r"[وف]?كان[ت]?\s+.+\s+قد\s*$", clause):
        return _subject_before(clause)
    if key[:1] in _CONJ or key in _PARTICIPLES:
        return _Speaker()
    return _subject_before(clause)


# --- the pass over an article ------------------------------------------------------------------


@dataclass
class _Found:
    start: int  # where the attribution is (for resolving a later "he added")
    quote: str
    speaker: _Speaker
    cue: str
    gender: str | None
    kind: str
    resolved: str = ""


@dataclass
class _Mention:
    pos: int
    speaker: _Speaker
    gender: str | None


def _masked(text: str, quotes: list[tuple[int, int, str]]) -> str:
    """The text with the inside of each quotation replaced (same length): punctuation and
    verbs inside a quote neither end a sentence nor attribute anything."""
    chars = list(text)
    for qs, qe, _ in quotes:
        for k in range(qs + 1, qe - 1):
            if not chars[k].isspace():
                chars[k] = _MASK
    return "".join(chars)


def _clean(quote: str) -> str:
    quote = " ".join(quote.split()).strip(' "«»“”،,؛;:—–-')
    if quote.endswith(".") and not quote.endswith(".."):
        quote = quote[:-1].rstrip()
    return quote


def _n_words(text: str) -> int:
    return len(_WORD_RE.findall(text))


def _sentences(masked: str, start: int, end: int) -> list[tuple[int, int]]:
    bounds = [start]
    for m in _SENT_END.finditer(masked, start, end):
        bounds.append(m.end())
    bounds.append(end)
    return [(s, e) for s, e in zip(bounds, bounds[1:], strict=False) if masked[s:e].strip()]


def _clause_start(masked: str, pos: int, floor: int) -> int:
    """Where the clause holding `pos` starts: after the last comma, colon or quote."""
    best = floor
    for m in re.finditer(r"[،,:؛;«»“”\"]", masked[floor:pos]):
        best = floor + m.end()
    return best


def _mentions(text: str, masked: str) -> list[_Mention]:
    """Every speech verb with what follows it: who spoke where (named, a role, generic)."""
    out: list[_Mention] = []
    matches = list(_WORD_RE.finditer(masked))
    words = [m.group() for m in matches]
    for i, m in enumerate(matches):
        cue = _speech_verb(words, i)
        if cue is None:
            continue
        speaker = _speaker(masked[m.end() :])
        if not (speaker.name or speaker.generic):
            line_start = masked.rfind("\n", 0, m.start()) + 1
            clause = masked[_clause_start(masked, m.start(), line_start) : m.start()]
            speaker = _verb_subject(m.group(), clause)
        if speaker.name or speaker.generic:
            out.append(_Mention(m.start(), speaker, cue[1]))
    return out


def _direct(
    text: str, masked: str, start: int, end: int, quotes: list[tuple[int, int, str]]
) -> list[_Found]:
    found: list[_Found] = []
    prev: _Found | None = None
    prev_end = start
    for qs, qe, inner in quotes:
        quote = _clean(inner)
        if not quote:
            continue
        got = _introduced(masked, qs, start) or _attributed_after(masked, qe, end)
        if got is None and prev is not None:
            gap = masked[prev_end:qs]
            if re.fullmatch(r"[\s.!?؟،,]*", gap) and re.search(r"[.!?؟]", inner[-2:] + gap):
                got = (prev.speaker, prev.cue, prev.gender, prev.start)
        if got is None:
            continue
        speaker, cue, gender, at = got
        if speaker.generic:
            prev = None
            continue
        if _n_words(quote) < 3 and not re.search(r":\s*$|(?<!\S)[إأا]ن\s*$", masked[start:qs]):
            continue  # a short scare quote
        item = _Found(at, quote, speaker, cue, gender, "direct")
        found.append(item)
        prev, prev_end = item, qe
    return found


def _introduced(masked: str, qs: int, floor: int) -> tuple[_Speaker, str, str | None, int] | None:
    """`وقال X: «…»` / `وقال X إن «…»` / `X قال: «…»` — the sentence before the quote."""
    before = masked[floor:qs]
    s0 = floor
    for m in _SENT_END.finditer(before):
        s0 = floor + m.end()
    stretch = masked[s0:qs]
    trimmed = stretch.rstrip()
    ends_with_that = bool(_WORD_RE.findall(trimmed)) and _key(_WORD_RE.findall(trimmed)[-1]) in (
        _THAT
    )
    if not (trimmed.endswith((":", "،", ",")) or ends_with_that):
        return None
    matches = list(_WORD_RE.finditer(stretch))
    words = [m.group() for m in matches]
    cues = [
        (m, cue)
        for i, m in enumerate(matches)
        if (cue := _speech_verb(words, i)) is not None and _key(m.group()) not in _OPINION
    ]
    if not cues:
        return None
    m, (cue, gender) = cues[-1]
    between = stretch[m.end() :]
    limit = 8 if trimmed.endswith(("،", ",")) else 16
    if _n_words(between) > limit:
        return None
    speaker = _speaker(between)
    if not (speaker.name or speaker.generic):
        clause = stretch[: m.start()]
        speaker = _verb_subject(m.group(), clause[_clause_start(clause, len(clause), 0) :])
    return speaker, cue, gender, s0 + m.start()


def _attributed_after(
    masked: str, qe: int, end: int
) -> tuple[_Speaker, str, str | None, int] | None:
    """`«…»، قال X.` / `«…»، بحسب X` / `«…»، على حد قوله`."""
    after = masked[qe:end]
    m = re.match(r"[\s،,]*(?:[-–—]\s*)?", after)
    pos = m.end() if m else 0
    words = list(_WORD_RE.finditer(after, pos))
    if not words or words[0].start() != pos:
        return None
    first = words[0]
    key = _key(first.group())
    if key in (_lex("على"), _lex("وعلى")) and len(words) > 2 and _key(words[1].group()) == "حد":
        gender = _AS_HE_SAID.get(_key(words[2].group()))
        if gender is not None or _key(words[2].group()) in _AS_HE_SAID:
            return _Speaker(), "على حد قوله", gender, qe + first.start()
    if _strip_conj(key) in _ACCORDING:
        if len(words) > 1 and _key(words[1].group()) in _AS_HE_SAID:
            # "«…»، حسب تعبيره": as he put it, the speaker before goes on
            gender = _AS_HE_SAID[_key(words[1].group())]
            return _Speaker(), first.group() + " " + words[1].group(), gender, qe + first.start()
        rest = after[first.end() :]
        rest = re.sub(r"^\s*(?:ل|لـ)\s*", "", rest)
        rest = re.sub(r"^\s*ما\s+\S+\s*", "", rest)  # "بحسب ما قاله X"
        return _speaker(rest), first.group(), None, qe + first.start()
    cue = _cue_of(first.group())
    if cue is None or key in _OPINION:
        return None
    return _speaker(after[first.end() :]), cue[0], cue[1], qe + first.start()


def _indirect(
    text: str, masked: str, start: int, end: int, has_quote: list[tuple[int, int, str]]
) -> list[_Found]:
    found: list[_Found] = []
    for s, e in _sentences(masked, start, end):
        sentence = masked[s:e]
        words = list(_WORD_RE.finditer(sentence))
        plain = [w.group() for w in words]
        according = _according_to(text, masked, s, e, words) or _according_to_end(
            text, masked, s, e, words
        )
        if according is not None:
            found.append(according)
            continue
        for i, word in enumerate(words):
            if _key(word.group()) not in _THAT:
                continue
            if i and _key(words[i - 1].group()) in _NOT_SPEECH_BEFORE_THAT:
                continue
            # the speech verb nearest before the particle, in the same clause
            cue_at = None
            for j in range(i - 1, max(-1, i - 14), -1):
                if _key(plain[j]) in _THAT and (
                    j == 0 or _key(plain[j - 1]) not in _NOT_SPEECH_BEFORE_THAT
                ):
                    break  # another clause's "that"
                if _cue_of(plain[j]) is not None:
                    cue_at = j
                    break
            if cue_at is None:
                continue
            verb = words[cue_at]
            said = _speech_verb(plain, cue_at)
            # "قال الجيش: إن …", "وأوضحت، أن …": a colon or comma right before the particle
            between = re.sub(r"\s*[:،,]\s*$", " ", sentence[verb.end() : word.start()])
            if said is None or re.search(r"[«»“”\"؛;:]", between):
                continue  # negated, or the verb belongs to another clause
            cue, gender = said
            # "مؤكداً ضرورة أن …": after a participle comes its object, never its subject
            speaker = _Speaker() if _key(verb.group()) in _PARTICIPLES else _speaker(between)
            if re.search(r"[،,]", between) and not _apposed(between, speaker):
                continue
            if not (speaker.name or speaker.generic):
                if _key(verb.group()) in _OPINION:
                    continue  # "يرى أن": whose view, the text has to say
                clause = sentence[_clause_start(sentence, verb.start(), 0) : verb.start()]
                speaker = _verb_subject(verb.group(), clause)
            content = _content(text, masked, s + word.end(), e)
            if content is None:
                continue
            if _key(verb.group()) in _OPINION and not speaker.named:
                continue
            found.append(_Found(s + verb.start(), content, speaker, cue, gender, "indirect"))
    return found


def _content(text: str, masked: str, pos: int, end: int) -> str | None:
    """The reported clause from `pos`: to the end of the sentence, or to a comma that opens
    the next speech verb ("…، مؤكدة أن …"). None when it is a quotation or too short."""
    rest = masked[pos:end]
    if re.match(r"\s*[«“”\"]", rest):
        return None  # `قال X إن «…»`: a direct quote, taken by the quote rules
    stop = len(rest)
    for m in re.finditer(r"[،,؛;]\s*", rest):
        nxt = _WORD_RE.match(rest, m.end())
        if nxt and (_cue_of(nxt.group()) is not None or _key(nxt.group()) in _THAT):
            stop = m.start()
            break
    clause = _clean(text[pos : pos + stop])
    clause = re.sub(r"[.!?؟]+$", "", clause).strip()
    return clause if _n_words(clause) >= 3 else None


def _according_to(
    text: str, masked: str, s: int, e: int, words: list[re.Match[str]]
) -> _Found | None:
    """`بحسب X، …` / `ووفقاً لـX، فإن …` opening a sentence."""
    if not words or _strip_conj(_key(words[0].group())) not in _ACCORDING:
        return None
    sentence = masked[s:e]
    comma = re.search(r"[،,]", sentence)
    if not comma or re.search(r"[«»“”\"]", sentence[: comma.start()]):
        return None
    who = re.sub(r"^\s*(?:ل|لـ)\s*", "", sentence[words[0].end() : comma.start()])
    speaker = _speaker(who)
    if not speaker.named and not speaker.name:
        return None
    rest = sentence[comma.end() :]
    lead = re.match(r"\s*(?:فإن|فان|فإنه|فإنها)\s+", rest)
    pos = s + comma.end() + (lead.end() if lead else 0)
    content = _content(text, masked, pos, e)
    if content is None:
        return None
    return _Found(s + words[0].start(), content, speaker, _strip_conj(words[0].group()), None,
                  "indirect")  # fmt: skip


def _according_to_end(
    text: str, masked: str, s: int, e: int, words: list[re.Match[str]]
) -> _Found | None:
    """`…، وفق ما نقل موقع X.` / `…، بحسب X.` closing a sentence: the clause before the
    comma is what X reported."""
    sentence = masked[s:e]
    commas = list(re.finditer(r"[،,]", sentence))
    if not commas:
        return None
    comma = commas[-1]
    after = [w for w in words if w.start() > comma.end() - 1]
    if not after or _strip_conj(_key(after[0].group())) not in _ACCORDING or len(after) > 8:
        return None
    if len(after) > 1 and _key(after[1].group()) in _AS_HE_SAID:
        return None  # "…، حسب تعبيره": a quote's "as he put it", not a source
    who = sentence[after[0].end() :]
    # "وفق ما نقل", "بحسب ما أفاد": "what X reported"
    who = re.sub(r"^\s*(?:ل|لـ)?\s*(?:ما|لما)\s+\S+\s+", " ", who)
    who = re.sub(r"^\s*(?:ل|لـ)\s*", "", who)
    speaker = _speaker(re.sub(r"[.!?؟]+\s*$", "", who))
    if not speaker.named and not speaker.name:
        return None
    content = _content(text, masked, s, s + comma.start())
    if content is None:
        return None
    return _Found(s + after[0].start(), content, speaker, _strip_conj(after[0].group()), None,
                  "indirect")  # fmt: skip


# --- resolution --------------------------------------------------------------------------------


def _resolve(found: list[_Found], mentions: list[_Mention]) -> None:
    """Pronoun verbs to the last speaker before them; bare roles to the name last given
    with that role."""
    by_role: dict[str, list[tuple[int, str]]] = {}
    for mention in mentions:  # in document order
        sp = mention.speaker
        if sp.named and sp.title:
            for role in _role_keys(sp.title):
                by_role.setdefault(role, []).append((mention.pos, sp.name))

    def role_name(title: str, pos: int) -> str:
        # the same role words, or one role word ("المتحدثة") naming a longer role given
        # with the name ("المتحدثة باسم الوزارة هالة يوسف")
        keys = _role_keys(title)
        if len(_WORD_RE.findall(title)) > 1:
            keys = keys[:1]
        for key in keys:
            earlier = [name for at, name in by_role.get(key, []) if at < pos]
            if earlier:
                return earlier[-1]
        return ""

    for item in found:
        sp = item.speaker
        if sp.named:
            item.resolved = sp.name
        elif sp.name:
            item.resolved = role_name(sp.title, item.start) or sp.name
        elif not sp.generic:
            item.resolved = _last_speaker(mentions, item.start, item.gender, role_name)


def _role_keys(title: str) -> list[str]:
    words = [_key(w) for w in _WORD_RE.findall(title)]
    keys = [" ".join(words)]
    if words:
        head = words[0][2:] if words[0].startswith("ال") else words[0]
        keys.append(head)
    return keys


def _last_speaker(mentions: list[_Mention], pos: int, gender: str | None, role_name: Any) -> str:
    for mention in reversed(mentions):
        if mention.pos >= pos:
            continue
        if gender and mention.gender and mention.gender != gender:
            continue
        sp = mention.speaker
        if sp.generic:
            return ""
        if sp.named:
            return sp.name
        return role_name(sp.title, mention.pos) or sp.name
    return ""


# --- entry point -------------------------------------------------------------------------------


def extract_arabic(body: str, language: str | None) -> list[dict[str, Any]]:
    """Statements in an Arabic body, as `newswatch.statements.extract_statements` gives them."""
    found: list[_Found] = []
    paragraphs = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", body)]
    quotes_of: dict[int, list[tuple[int, int, str]]] = {}
    for ps, pe in paragraphs:
        quotes = []
        for qm in _QUOTE_RE.finditer(body, ps, pe):
            inner = next(g for g in qm.groups() if g is not None)
            quotes.append((qm.start(), qm.end(), inner))
        quotes_of[ps] = quotes
    all_quotes = [q for qs in quotes_of.values() for q in qs]
    masked = _masked(body, all_quotes)
    mentions = _mentions(body, masked)
    for ps, pe in paragraphs:
        if not masked[ps:pe].strip():
            continue
        quotes = quotes_of[ps]
        found.extend(_direct(body, masked, ps, pe, quotes))
        found.extend(_indirect(body, masked, ps, pe, quotes))
    found.sort(key=lambda f: f.start)
    _resolve(found, mentions)
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, str, str]] = set()
    for item in found:
        if not item.resolved or not item.quote:
            continue
        key = (fold(item.resolved), fold(item.quote), item.kind)
        if key in seen:
            continue
        seen.add(key)
        at = body.find(item.quote, max(0, item.start - 2000))
        if at < 0:
            at = body.find(item.quote)
        out.append(
            {
                "kind": item.kind,
                "quote": item.quote,
                "speaker": item.resolved,
                "speaker_in_text": item.speaker.name or item.resolved,
                "cue": item.cue,
                "start": at if at >= 0 else None,
                "end": at + len(item.quote) if at >= 0 else None,
                "confidence": 0.8 if item.speaker.name else 0.7,
                "language": language or "ar",
            }
        )
    return out
