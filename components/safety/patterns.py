"""Load patterns.yml and compile its phrases into spaCy Matcher patterns.

A mistake in the file stops the bot from starting (PatternError with the
concept or rule at fault): safety screening never runs half-loaded.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from spacy.language import Language

from components.safety.normalise import normalise

PATTERNS_FILE = Path(__file__).with_name("patterns.yml")
CATEGORIES = ("red_flag", "crisis", "medication")
URGENCIES = ("emergency", "same_day")
GAP_WORDS = 3
_PHRASE_PART = re.compile(r"\((?P<group>[^()]*)\)(?P<optional>\?)?|(?P<gap>\.\.\.)|(?P<word>[^\s()]+)")

TokenPattern = dict[str, Any]
# <num>: any number ("3", "38.5", "three"); <year>: a year from 1900 to 2099 ("in 2009").
SPECIAL_WORDS: dict[str, TokenPattern] = {"<num>": {"LIKE_NUM": True}, "<year>": {"TEXT": {"REGEX": r"^(19|20)\d\d$"}}}
# A named list from the file's `lists:` section, written <name> in a phrase ("<withdrawal_medicine>").
_LIST_NAME = re.compile(r"<(?P<name>[a-z_]+)>")


SCOPES = ("sentence", "message")


class PatternError(ValueError):
    """patterns.yml is not usable; the message says where and why."""


@dataclass(frozen=True)
class Rule:
    id: str
    category: str
    urgency: str | None
    concepts: tuple[str, ...]
    unless: tuple[str, ...] = ()
    unless_before: dict[str, int] = field(default_factory=dict)
    # An exception concept this many words before or after the rule's first concept, in the same clause.
    unless_near: dict[str, int] = field(default_factory=dict)
    # "sentence": all concepts in one sentence; "message": anywhere in the message
    # ("My husband had cancer. Now he has new back pain.").
    scope: str = "sentence"


@dataclass(frozen=True)
class PatternSet:
    negation_cues: frozenset[str]
    pseudo_negations: frozenset[str]
    terminators: frozenset[str]
    idioms: dict[str, list[str]]
    reassurance_vocabulary: dict[str, list[str]]
    all_clear: list[str]
    concepts: dict[str, list[str]]
    rules: tuple[Rule, ...]


def load_pattern_set(path: Path = PATTERNS_FILE) -> PatternSet:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise PatternError(f"{path}: cannot be read ({error})") from error
    if not isinstance(data, dict):
        raise PatternError(f"{path}: expected the sections negation, idioms, concepts and rules")
    data = _with_lists_expanded(data, path)
    negation = _mapping(data, "negation", path)
    idioms = {category: _phrases(phrases, f"idioms.{category}", path) for category, phrases in _mapping(data, "idioms", path).items()}
    concepts = {name: _phrases(phrases, f"concepts.{name}", path) for name, phrases in _mapping(data, "concepts", path).items()}
    reassurance = _mapping(data, "reassurance", path)
    vocabulary = {
        category: _phrases(phrases, f"reassurance.vocabulary.{category}", path) for category, phrases in _mapping(reassurance, "vocabulary", path).items()
    }
    rules = tuple(_rule(rule_id, spec, concepts, path) for rule_id, spec in _mapping(data, "rules", path).items())
    unused = set(concepts) - {name for rule in rules for name in (*rule.concepts, *rule.unless, *rule.unless_before, *rule.unless_near)}
    if unused:
        raise PatternError(f"{path}: concepts not used by any rule: {', '.join(sorted(unused))}")
    return PatternSet(
        negation_cues=frozenset(_phrases(negation.get("cues"), "negation.cues", path)),
        pseudo_negations=frozenset(normalise(phrase) for phrase in _phrases(negation.get("pseudo"), "negation.pseudo", path)),
        terminators=frozenset(_phrases(negation.get("terminators"), "negation.terminators", path)),
        idioms=idioms,
        reassurance_vocabulary=vocabulary,
        all_clear=_phrases(reassurance.get("all_clear"), "reassurance.all_clear", path),
        concepts=concepts,
        rules=rules,
    )


def _with_lists_expanded(data: dict[str, Any], path: Path) -> dict[str, Any]:
    """Write each <name> of the `lists:` section out as its alternatives, so one list of
    medicine names (say) serves every phrase that needs it and cannot drift apart."""
    lists = data.get("lists") or {}
    if not isinstance(lists, dict):
        raise PatternError(f"{path}: 'lists' must map a name to a list of words")
    named = {}
    for name, words in lists.items():
        if f"<{name}>" in SPECIAL_WORDS or not _LIST_NAME.fullmatch(f"<{name}>"):
            raise PatternError(f"{path}: '{name}' cannot name a list (use lower-case letters and _, not num or year)")
        named[name] = _phrases(words, f"lists.{name}", path)
        if any(set(word) & set("()|<>?") for word in named[name]):
            raise PatternError(f"{path}: 'lists.{name}' holds plain words only, without ( ) | < > or ?")

    def expand(phrase: str) -> str:
        def alternatives(match: re.Match[str]) -> str:
            name = match.group("name")
            if f"<{name}>" in SPECIAL_WORDS:
                return match.group(0)
            if name not in named:
                raise PatternError(f"{path}: the phrase '{phrase}' uses <{name}>, which is not in the lists section")
            inside_group = phrase[: match.start()].count("(") > phrase[: match.start()].count(")")
            words = "|".join(named[name])
            return words if inside_group else f"({words})"

        return _LIST_NAME.sub(alternatives, phrase)

    def walk(value: Any) -> Any:
        if isinstance(value, str):
            return expand(value)
        if isinstance(value, list):
            return [walk(item) for item in value]
        if isinstance(value, dict):
            return {key: walk(item) for key, item in value.items()}
        return value

    return {key: walk(value) for key, value in data.items() if key != "lists"}


def _mapping(data: dict[str, Any], key: str, path: Path) -> dict[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict) or not value:
        raise PatternError(f"{path}: '{key}' must be a non-empty mapping")
    return value


def _phrases(value: Any, where: str, path: Path) -> list[str]:
    if not isinstance(value, list) or not value or not all(isinstance(item, str) and item.strip() for item in value):
        raise PatternError(f"{path}: '{where}' must be a non-empty list of phrases")
    return [item.strip() for item in value]


def _rule(rule_id: str, spec: Any, concepts: dict[str, list[str]], path: Path) -> Rule:
    where = f"{path}: rule '{rule_id}'"
    if not isinstance(spec, dict):
        raise PatternError(f"{where} must be a mapping with category and all")
    category, urgency = spec.get("category"), spec.get("urgency")
    if category not in CATEGORIES:
        raise PatternError(f"{where}: category must be one of {', '.join(CATEGORIES)}")
    if category == "red_flag" and urgency not in URGENCIES:
        raise PatternError(f"{where}: a red flag needs urgency {' or '.join(URGENCIES)}")
    needed = spec.get("all")
    unless = spec.get("unless") or []
    unless_before = spec.get("unless_before") or {}
    unless_near = spec.get("unless_near") or {}
    if not isinstance(needed, list) or not needed:
        raise PatternError(f"{where}: 'all' must list at least one concept")
    scope = spec.get("scope", "sentence")
    if scope not in SCOPES:
        raise PatternError(f"{where}: scope must be {' or '.join(SCOPES)}")
    for key, windows in (("unless_before", unless_before), ("unless_near", unless_near)):
        if not isinstance(windows, dict) or not all(isinstance(n, int) and n > 0 for n in windows.values()):
            raise PatternError(f"{where}: '{key}' maps a concept to a number of words")
    for name in [*needed, *unless, *unless_before, *unless_near]:
        if name not in concepts:
            raise PatternError(f"{where}: unknown concept '{name}'")
    return Rule(rule_id, category, urgency, tuple(needed), tuple(unless), dict(unless_before), dict(unless_near), scope)


def compile_phrase(phrase: str, nlp: Language) -> list[list[TokenPattern]]:
    """All Matcher patterns for one phrase of the little pattern language in patterns.yml."""
    slots: list[list[list[TokenPattern]]] = []
    position = 0
    for part in _PHRASE_PART.finditer(phrase):
        if phrase[position : part.start()].strip():
            raise PatternError(f"cannot read the phrase '{phrase}' near '{phrase[position : part.start()]}'")
        position = part.end()
        if part.group("gap"):
            slots.append([[{"IS_PUNCT": False, "OP": "?"}] * GAP_WORDS])
        elif part.group("word") in SPECIAL_WORDS:
            slots.append([[dict(SPECIAL_WORDS[part.group("word")])]])
        elif part.group("word") == "$":
            slots.append([[{"IS_PUNCT": True}]])
        elif part.group("word"):
            slots.append([_words(part.group("word"), nlp)])
        else:
            slots.append(_group(part.group("group"), bool(part.group("optional")), phrase, nlp))
    if phrase[position:].strip() or not slots:
        raise PatternError(f"cannot read the phrase '{phrase}'")
    return [[token for piece in combination for token in piece] for combination in itertools.product(*slots)]


def _words(text: str, nlp: Language) -> list[TokenPattern]:
    if "<" in text or ">" in text or "#" in text:
        raise PatternError(f"'{text}' is not a word; the special words are <num>, <year>, ... and $, and the names in the lists section")
    if len(text) > 1 and text.endswith("?"):
        raise PatternError(f"'{text}': '?' makes a group optional, as in '(cramp|cramps)' or '(my)?', not a single word")
    return [{"LOWER": token.text} for token in nlp.make_doc(normalise(text))]


def _group(body: str, optional: bool, phrase: str, nlp: Language) -> list[list[TokenPattern]]:
    alternatives = [alternative.strip() for alternative in body.split("|")]
    if not all(alternatives):
        raise PatternError(f"empty alternative in '({body})' of the phrase '{phrase}'")
    single, multi = [], []
    for alternative in alternatives:
        if alternative in SPECIAL_WORDS:
            multi.append([dict(SPECIAL_WORDS[alternative])])
            continue
        if alternative == "$":  # the end of the sentence, as one of the alternatives
            multi.append([{"IS_PUNCT": True}])
            continue
        tokens = _words(alternative, nlp)
        (single if len(tokens) == 1 else multi).append(tokens)
    options = [[{"LOWER": {"IN": [tokens[0]["LOWER"] for tokens in single]}}]] if single else []
    options += multi
    return [[], *options] if optional else options
