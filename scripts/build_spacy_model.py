"""Build the offline language resources: the spaCy pipeline that Rasa's
SpacyNLP loads by path, and the English word list the input checks use.

spaCy 3.4's pretrained English models are not on the package registries, and
nothing may be downloaded at run time, so we build a blank English pipeline with
a lookup lemmatizer whose tables come from the installed spacy-lookups-data
package, and save it to disk. Rebuilt only when missing or when spaCy changes.
The word list (frequent English words plus every form in the English lemma
table, also from spacy-lookups-data) lets pacewise/text/input_checks.py tell an
English message from one in another language.
"""

from __future__ import annotations

import sys
from pathlib import Path

import spacy
import spacy_lookups_data
import srsly

REPO_ROOT = Path(__file__).resolve().parent.parent
MODEL_DIR = REPO_ROOT / ".venv" / "pacewise" / "spacy_en_lookup"
WORDS_FILE = REPO_ROOT / ".venv" / "pacewise" / "english_words.txt"
FREQUENT_LOG_PROB = -12  # about the 7,000 most frequent English words


def build_word_list(target: Path) -> int:
    data = Path(spacy_lookups_data.__file__).parent / "data"
    frequent = srsly.read_gzip_json(data / "en_lexeme_prob.json.gz")
    lemmas = srsly.read_gzip_json(data / "en_lemma_lookup.json.gz")
    words = {word.lower() for word, log_prob in frequent.items() if log_prob > FREQUENT_LOG_PROB and word.isalpha()}
    words |= {word.lower() for pair in lemmas.items() for word in pair if word.isalpha()}
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(sorted(words)) + "\n", encoding="utf-8")
    return len(words)


def build(target: Path) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    nlp.meta["name"] = "pacewise_en_lookup"
    nlp.meta["description"] = "Blank English pipeline with lookup lemmas (built offline)"
    target.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(target)
    (target / "BUILT_WITH_SPACY").write_text(spacy.__version__)


def is_current(target: Path) -> bool:
    stamp = target / "BUILT_WITH_SPACY"
    return stamp.exists() and stamp.read_text().strip() == spacy.__version__


def main() -> int:
    if not WORDS_FILE.exists():
        count = build_word_list(WORDS_FILE)
        print(f"[pacewise] Built the English word list ({count} words)")
    if is_current(MODEL_DIR):
        print(f"[pacewise] spaCy pipeline up to date ({MODEL_DIR.relative_to(REPO_ROOT)})")
        return 0
    build(MODEL_DIR)
    lemma = spacy.load(MODEL_DIR)("The patients were walking")[1].lemma_
    print(f"[pacewise] Built spaCy pipeline at {MODEL_DIR.relative_to(REPO_ROOT)} (lemma check: 'patients' -> '{lemma}')")
    return 0


if __name__ == "__main__":
    sys.exit(main())
