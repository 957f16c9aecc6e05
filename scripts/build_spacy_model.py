"""Build the offline spaCy pipeline that Rasa's SpacyNLP loads by path.

spaCy 3.4's pretrained English models are not on the package registries, and
nothing may be downloaded at run time, so we build a blank English pipeline with
a lookup lemmatizer whose tables come from the installed spacy-lookups-data
package, and save it to disk. Rebuilt only when missing or when spaCy changes.
"""

from __future__ import annotations

import sys
from pathlib import Path

import spacy

REPO_ROOT = Path(__file__).resolve().parent.parent
MODEL_DIR = REPO_ROOT / ".venv" / "pacewise" / "spacy_en_lookup"


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
    if is_current(MODEL_DIR):
        print(f"[pacewise] spaCy pipeline up to date ({MODEL_DIR.relative_to(REPO_ROOT)})")
        return 0
    build(MODEL_DIR)
    lemma = spacy.load(MODEL_DIR)("The patients were walking")[1].lemma_
    print(f"[pacewise] Built spaCy pipeline at {MODEL_DIR.relative_to(REPO_ROOT)} (lemma check: 'patients' -> '{lemma}')")
    return 0


if __name__ == "__main__":
    sys.exit(main())
