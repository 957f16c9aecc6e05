"""The classifier's own fit: scikit-learn's multinomial logistic regression, the dense block kept dense."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse
from sklearn.linear_model import LogisticRegression

from components.logistic_regression import fit_multinomial


def _problem(seed: int, classes: int) -> tuple[np.ndarray, scipy.sparse.csr_matrix, list[str]]:
    rng = np.random.default_rng(seed)
    labels = [f"intent_{i % classes}" for i in range(60)]
    dense = rng.normal(size=(60, 6)) + np.array([[int(label[-1])] * 6 for label in labels]) * 0.5
    sparse = scipy.sparse.random(60, 40, density=0.1, random_state=seed, format="csr")
    return dense, sparse, labels


def _probabilities(joined: scipy.sparse.csr_matrix, model) -> np.ndarray:
    scores = joined @ model.coef.T + model.intercept
    exp = np.exp(scores - scores.max(axis=1, keepdims=True))
    return exp / exp.sum(axis=1, keepdims=True)


@pytest.mark.parametrize("classes", [3, 5])
def test_the_fit_gives_scikit_learns_probabilities(classes):
    dense, sparse, labels = _problem(1, classes)
    joined = scipy.sparse.hstack([scipy.sparse.csr_matrix(dense), sparse]).tocsr()
    reference = LogisticRegression(C=20.0, max_iter=5000).fit(joined, labels)

    model = fit_multinomial(dense, sparse, labels, C=20.0)

    assert model.classes == list(reference.classes_)
    assert np.abs(_probabilities(joined, model) - reference.predict_proba(joined)).max() < 1e-3


def test_a_looser_loss_tolerance_stops_sooner_with_the_same_answers():
    dense, sparse, labels = _problem(1, 5)
    joined = scipy.sparse.hstack([scipy.sparse.csr_matrix(dense), sparse]).tocsr()

    tight, loose = fit_multinomial(dense, sparse, labels, C=20.0), fit_multinomial(dense, sparse, labels, C=20.0, loss_tolerance=1e-6)

    assert loose.iterations < tight.iterations
    assert (_probabilities(joined, loose).argmax(axis=1) == _probabilities(joined, tight).argmax(axis=1)).all()
    assert np.abs(_probabilities(joined, loose) - _probabilities(joined, tight)).max() < 0.05


def test_two_intents_get_a_row_of_weights_each():
    dense, sparse, labels = _problem(2, 2)

    model = fit_multinomial(dense, sparse, labels, C=1.0)

    assert model.dense_coef.shape == (2, 6) and model.sparse_coef.shape == (2, 40) and model.intercept.shape == (2,)


def test_one_intent_alone_cannot_be_learned():
    dense, sparse, _ = _problem(3, 2)

    with pytest.raises(ValueError, match="at least two intents"):
        fit_multinomial(dense, sparse, ["greet"] * 60, C=1.0)
