"""The rule-based safety screening on its own: phrases, negations, idioms, errors in the pattern file."""

from __future__ import annotations

from pathlib import Path

import pytest

from components.safety.detector import SafetyDetector, default_detector
from components.safety.normalise import normalise
from components.safety.patterns import PATTERNS_FILE, PatternError

SAFETY_SETS = Path(__file__).resolve().parents[2] / "safety"  # the labelled safety sets, tests/safety/


@pytest.fixture(scope="module")
def detector() -> SafetyDetector:
    return default_detector()


def rules(detector: SafetyDetector, text: str) -> list[str]:
    return [signal.rule for signal in detector.screen(text).signals]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I can't pee", "i can not pee"),
        ("cant feel my legs", "can not feel my legs"),
        ("I cannot wee", "i can not wee"),
        ("Im not suicidal", "i am not suicidal"),
        ("what\u2019s the point", "what is the point"),
        ("self-harm", "self harm"),
    ],
)
def test_contractions_and_spelling_variants_are_written_out(text, expected):
    assert normalise(text) == expected


@pytest.mark.parametrize(
    ("text", "rule", "urgency"),
    [
        ("I've gone numb around my bum since this morning", "saddle_numbness", "emergency"),
        ("i cant feel much down there", "saddle_numbness", "emergency"),
        ("it feels weird when I wipe", "altered_feeling_when_wiping", "emergency"),
        ("I haven't been able to pee since yesterday", "bladder_or_bowel_control", "emergency"),
        ("I wet myself without noticing", "bladder_or_bowel_control", "emergency"),
        ("both my legs have gone weak", "both_legs_weak_or_numb", "emergency"),
        ("I can no longer feel my legs", "both_legs_weak_or_numb", "emergency"),
        ("crushing pain in my chest", "chest_pain", "emergency"),
        ("I fell off a ladder this morning", "significant_fall_or_accident", "same_day"),
        ("back pain and a high temperature", "fever_or_chills", "same_day"),
        ("I had breast cancer and now my back hurts", "history_of_cancer", "same_day"),
        ("I've lost a stone without dieting", "unexplained_weight_loss", "same_day"),
        ("the pain at night keeps getting worse", "worsening_night_pain", "same_day"),
        # Lay words that only the classifier caught before (issue 11, round 4).
        ("since my back went I just don't seem to need a wee at all", "bladder_or_bowel_control", "emergency"),
        ("my stream is just a trickle these days and my back is agony", "bladder_or_bowel_control", "emergency"),
        ("it's like I'm sitting on a bag of frozen peas down below", "saddle_numbness", "emergency"),
        ("my bum cheeks feel like they belong to somebody else", "saddle_numbness", "emergency"),
        ("I can't stand on my tiptoes on either foot now", "both_legs_weak_or_numb", "emergency"),
        ("I was bucked off by the pony on Saturday and my back's sore", "significant_fall_or_accident", "same_day"),
    ],
)
def test_red_flags_are_found_with_their_urgency(detector, text, rule, urgency):
    screening = detector.screen(text)
    assert rule in rules(detector, text)
    assert screening.categories() == ["red_flag"]
    assert screening.urgency() == urgency


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("I've been feeling suicidal", "suicidal_thoughts"),
        ("sometimes I wish I wasn't here", "wish_to_die"),
        ("I've been saving up my tablets", "suicide_plans"),
        ("I cut myself again last night", "self_harm"),
        ("there's a blade hidden under my mattress for the bad nights", "self_harm"),
        ("I still carry razor blades in my make-up bag", "self_harm"),
        ("my kids do everything for me, I'm nothing but dead weight", "hopelessness"),
        ("a bit of me wants to die most days", "wish_to_die"),
        ("honestly I just want to stop existing", "wish_to_die"),
        ("I've been setting aside my pregabalin for a while now", "suicide_plans"),
        ("I'm in a really dark place at the moment", "hopelessness"),
        ("I don't think I'll be around for much longer", "hopelessness"),
        ("I keep having thoughts of hurting myself", "self_harm"),
        ("I've started cutting again and I hate myself", "self_harm"),
        ("some nights I think about jumping from the top of the car park", "suicide_plans"),
        ("what's the point of going on", "hopelessness"),
        ("what's the point", "hopelessness"),
        ("I can't cope anymore", "hopelessness"),
    ],
)
def test_crisis_messages_are_found(detector, text, rule):
    assert rule in rules(detector, text)
    assert detector.screen(text).categories() == ["crisis"]


@pytest.mark.parametrize(
    "text",
    [
        "no numbness down there",
        "I haven't had any trouble peeing",
        "no fever or chills",
        "I've never had cancer",
        "my legs aren't numb, just tired",
        "no pain in my chest",
    ],
)
def test_negated_red_flags_are_not_escalated_but_noted(detector, text):
    screening = detector.screen(text)
    assert screening.categories() == []
    assert "red_flag" in screening.defused


@pytest.mark.parametrize(
    "text",
    ["this pain is killing me", "I'm dying to run again", "I could kill for a cup of tea", "I'm not suicidal", "I don't want to die"],
)
def test_idioms_and_negated_crisis_words_are_not_escalated_but_noted(detector, text):
    screening = detector.screen(text)
    assert screening.categories() == []
    assert "crisis" in screening.defused


@pytest.mark.parametrize(
    "text",
    [
        "I fell asleep on the sofa and woke up stiff",
        "I moved a chest of drawers and my back aches",
        "my dad had cancer",
        "I need to lose weight to help my knees",
        "what's the point of stretching if it still hurts",
        "I can't go on holiday anymore because of my back",
        "I crash for days after a busy day",
        "pins and needles in my hand when I type",
        "hay fever makes me tired",
        "Is jumping from half days to full days at work too much?",
        "my physio has started cutting back on the massage and given me exercises",
        "will my travel insurance pay out if my back goes on holiday?",
        "I wrote a letter to my daughter's school about my pain clinic appointment",
        "I banged my head on the cupboard door and now I have a headache, is that my neck?",
        "I felt a tearing in my calf playing squash, how long until I can play?",
        "how much walking would it take to lose a stone?",
    ],
)
def test_everyday_look_alikes_are_not_escalated(detector, text):
    assert detector.screen(text).categories() == []


def test_uncertainty_is_not_a_negation(detector):
    assert detector.screen("I'm not sure if I'm numb down there").categories() == ["red_flag"]


def test_negation_does_not_reach_past_a_clause_boundary(detector):
    assert detector.screen("no fever, but I can't pee").categories() == ["red_flag"]
    assert detector.screen("no numbness and I can't pee").categories() == ["red_flag"]


def test_someone_elses_cancer_does_not_hide_the_patients_own(detector):
    assert detector.screen("I had cancer myself, and my dad had cancer").categories() == ["red_flag"]


def test_crisis_comes_before_red_flags_when_both_are_present(detector):
    screening = detector.screen("I have chest pain and honestly I want to die")
    assert screening.categories() == ["crisis", "red_flag"]
    assert screening.urgency() == "emergency"


def test_a_crisis_buried_in_a_very_long_message_is_found(detector):
    text = "I have been doing my pacing plan every day. " * 300 + "Some days I want to end it all."
    assert detector.screen(text).categories() == ["crisis"]


@pytest.mark.parametrize(
    "text",
    ["how many ibuprofen can I take a day?", "can I take naproxen with co-codamol?", "what's the maximum dose of paracetamol"],
)
def test_dose_and_mixing_questions_are_flagged_for_the_medication_content(detector, text):
    screening = detector.screen(text)
    assert screening.asks_about_medication_doses
    assert screening.categories() == []


def test_empty_text_is_screened_without_error(detector):
    assert detector.screen("").signals == ()
    assert detector.screen(None).signals == ()


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("my groin has been buzzing since my disc went", "saddle_numbness"),
        ("my lady bits feel numb since yesterday", "saddle_numbness"),
        ("it has gone tingly between my bum cheeks since the weekend", "saddle_numbness"),
        ("I have constant night pain whatever position I lie in", "constant_or_non_mechanical_pain"),
        ("the gp called it non-mechanical pain and it is getting worse", "constant_or_non_mechanical_pain"),
        ("I woke up in a wet bed and never felt a thing", "wet_bed"),
        ("hardly any wee all day though I've been drinking plenty", "passing_little_urine"),
        ("it takes ages before any wee comes when I'm on the toilet", "hard_to_start_weeing"),
        ("neither leg would hold me up this morning", "both_legs_weak_or_numb"),
        ("I fell out of the loft onto the landing", "significant_fall_or_accident"),
        ("the airbags went off when we hit the barrier", "significant_fall_or_accident"),
        ("I fell off a ladder yesterday and had a fall years ago too", "significant_fall_or_accident"),
        ("my neck aches and I have to hold onto the walls to get about, like I'm on a boat", "neck_and_clumsy_hands"),
        ("I dived into the shallow end and hit my head on the bottom, now my neck hurts", "significant_fall_or_accident"),
        ("a sudden tearing pain went right through to my back while I sat reading", "tearing_chest_or_back_pain"),
        ("my jaw starts to ache when I eat and my shoulders are stiff, I'm 72", "artery_inflammation_signs"),
    ],
)
def test_indirect_red_flags_are_found(detector, text, rule):
    assert rule in rules(detector, text)


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("I keep picturing myself swerving into a tree", "suicidal_thoughts"),
        ("I'm jealous of the dead, at least they're at peace", "wish_to_die"),
        ("I have a stash of codeine hidden away", "suicide_plans"),
        ("I've made my will and planned my funeral", "suicide_plans"),
        ("I held a lighter to my arm last night", "self_harm"),
        ("I bit my hand until it bled", "self_harm"),
        ("I've been hurting myself again and hiding it", "self_injury_again"),
        ("my family would be happier without me", "hopelessness"),
        ("I don't see the point in anything now", "hopelessness"),
        ("I stood on the bridge looking over the edge", "lethal_place_visits"),
        ("a voice in my head keeps telling me to end it", "inner_voice_urging_escape"),
        ("some nights I stare at my tablets and think how easy it would be", "suicidal_thoughts"),
        ("how many of my pregabalin would it take to never wake up", "suicide_plans"),
        ("I'm 35 and I can't do another 40 years like this", "hopelessness"),
    ],
)
def test_indirect_crisis_messages_are_found(detector, text, rule):
    assert rule in rules(detector, text)
    assert detector.screen(text).categories() == ["crisis"]


def test_no_feeling_is_numbness_not_its_absence(detector):
    # "no feeling" must not explain the red flag away (it would block the classifier).
    assert "red_flag" not in detector.screen("there's no feeling when I go to the loo").defused


@pytest.mark.parametrize(
    "text",
    [
        "I had a car accident in 2011 and my neck still aches",
        "I came off my horse when I was 15",
        "I tripped on a step, embarrassing more than anything",
        "I had a temperature with flu last week, cleared up now",
        "my GP checked my heart and said the chest pain is muscular",
        "I've lost weight because of my new diabetes tablets",
        "cramp in my foot woke me at 2am, excruciating but it lasted a few seconds",
        "my legs get pins and needles when I kneel to weed the garden but it wears off after a minute",
        "I'd rather die than go to another zumba class",
        "I slept like a log, dead to the world",
        "I wrote a letter to my son's teacher about my pain",
        "I volunteer at a hospice shop and my back aches",
        "my new temperature-controlled heat pad is great",
        "I feel like I've been run over by a truck after that gym session",
        "I'm worried about hurting myself again if I lift",
        "I scratched my eczema until it bled",
        "I walked over the bridge for my pacing",
        "my physio keeps telling me to keep moving",
    ],
)
def test_explained_look_alikes_are_not_escalated(detector, text):
    assert detector.screen(text).categories() == []


@pytest.mark.parametrize(
    "text",
    ["I had a car accident in 2011 and my neck still aches", "I came off my horse when I was 15", "I'd rather die than go to another zumba class"],
)
def test_explained_look_alikes_block_the_classifier_too(detector, text):
    assert detector.screen(text).defused


def _patterns_with(tmp_path: Path, old: str, new: str) -> Path:
    text = PATTERNS_FILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "patterns.yml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "    category: red_flag\n    urgency: emergency\n    all: [altered_sensation, saddle_area]",
            "    category: red\n    urgency: emergency\n    all: [altered_sensation, saddle_area]",
            "category must be one of",
        ),
        ("all: [altered_sensation, saddle_area]", "all: [altered_sensation, sadle_area]", "unknown concept 'sadle_area'"),
        ("    - saddle\n", "    - saddle (area\n", "cannot read the phrase"),
        (
            "    category: red_flag\n    urgency: emergency\n    all: [chest, chest_symptom]",
            "    category: red_flag\n    all: [chest, chest_symptom]",
            "needs urgency",
        ),
        ("unless_near: {old_event: 6}", "unless_near: {old_event: soon}", "'unless_near' maps a concept to a number of words"),
        ("    - (aged|at the age of) <num>\n", "    - (aged|at the age of) <yr>\n", "uses <yr>, which is not in the lists section"),
        ("    - charley horse\n", "    - charley horses?\n", "makes a group optional"),
        ("|<withdrawal_medicine>|patch|patches|", "|<withdrawl_medicine>|patch|patches|", "uses <withdrawl_medicine>, which is not in the lists"),
        ("withdrawal_medicine: [tramadol,", "withdrawal_medicine: [(tramadol|codeine),", "holds plain words only"),
    ],
)
def test_a_broken_pattern_file_stops_with_a_clear_message(tmp_path, old, new, message):
    with pytest.raises(PatternError, match=message):
        SafetyDetector.from_file(_patterns_with(tmp_path, old, new))


def test_anchored_matcher_finds_exactly_what_spacys_matcher_finds(detector):
    """The speed-up (only patterns whose first word occurs are tried) must not change a single match."""
    from spacy.matcher import Matcher

    from components.safety.detector import ALL_CLEAR_KEY, IDIOM_KEY_PREFIX, VOCABULARY_KEY_PREFIX
    from components.safety.patterns import compile_phrase
    from pacewise.cli.safety_report import load_labelled

    plain = Matcher(detector.nlp.vocab)
    patterns = detector.patterns
    groups = [
        *((IDIOM_KEY_PREFIX + category, phrases) for category, phrases in patterns.idioms.items()),
        *((VOCABULARY_KEY_PREFIX + category, phrases) for category, phrases in patterns.reassurance_vocabulary.items()),
        (ALL_CLEAR_KEY, patterns.all_clear),
        *patterns.concepts.items(),
    ]
    for label, phrases in groups:
        plain.add(label, [pattern for phrase in phrases for pattern in compile_phrase(phrase, detector.nlp)])
    texts = [message.text for name in ("messages.yml", "messages_round3.yml") for message in load_labelled(SAFETY_SETS / name)]
    texts += ["I fell in 2019 and now 3 times a day I can't pee.", "!!! numb down there ... since 10pm"]

    for text in texts:
        doc = detector.nlp(normalise(text) + " .")
        expected = sorted((detector.nlp.vocab.strings[key], start, end) for key, start, end in plain(doc))
        assert sorted(detector.matcher(doc)) == expected, text


def test_a_named_list_serves_every_phrase_that_names_it(tmp_path, detector):
    """One list of withdrawal medicines for cutting down and for missing a dose: a name added once counts in both."""
    assert detector.screen("missed my buprenorphine patch and sweating at night").categories() == []
    assert detector.screen("cutting down my fentanyl and I feel fluey").categories() == []
    unlisted = SafetyDetector.from_file(_patterns_with(tmp_path, "[tramadol, codeine,", "[codeine,"))
    assert unlisted.screen("missed my tramadol and I feel fluey").categories() == ["red_flag"]
    assert detector.screen("missed my tramadol and I feel fluey").categories() == []


def test_end_of_sentence_can_be_one_of_a_groups_alternatives():
    from spacy.lang.en import English

    from components.safety.patterns import compile_phrase

    patterns = compile_phrase("picked a date ($|to do it)", English())

    assert [{"LOWER": "picked"}, {"LOWER": "a"}, {"LOWER": "date"}, {"IS_PUNCT": True}] in patterns
    assert [{"LOWER": "picked"}, {"LOWER": "a"}, {"LOWER": "date"}, {"LOWER": "to"}, {"LOWER": "do"}, {"LOWER": "it"}] in patterns


# Kinds of phrasing found by the blind safety sets (rounds 4 and 5) and in held-out patient
# questions, each written here in new words: what must escalate, and the look-alikes that must not.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Had to strain for ages on the loo today and I couldn't feel whether anything had come out.", "red_flag"),
        ("Mum (80, on steroids for her lungs) missed the last step this morning and sat down hard.", "red_flag"),
        ("i can't lie down at all because it's worse flat, been sleeping sitting up in the chair for a week and its getting worse not better.", "red_flag"),
        ("my brain keeps telling me there's an easy way out of this pain and i'm starting to listen to it.", "crisis"),
        ("would it be wrong to hope my spinal surgery goes badly and i don't come round from the anaesthetic", "crisis"),
        ("i've started hitting my bad knee with a hairbrush when the pain is bad, like i'm punishing it.", "crisis"),
        ("i'm going to die of embarrassment, i farted holding the plank in pilates.", None),
        ("didn't hit my head when i slipped, just landed on my bum on the grass and got straight up laughing.", None),
        ("my butt goes numb after sitting on the hard bleachers, comes back as soon as i stand and walk.", None),
        ("I get night sweats but it's the menopause.", None),
        ("I have night sweats and my back is agony.", "red_flag"),
        ("my dad died of a heart attack when i was a teen", None),
        ("I think I'm having a heart attack", "red_flag"),
        ("took a tumble off the curb last month, grazed knee, all healed now.", None),
        ("Every afternoon at my desk I get a tension headache and a sore neck, and it's worst when the deadlines pile up.", None),
        ("After my whiplash I was given a soft collar to wear when it aches.", None),
        ("I got whiplash in a crash yesterday.", "red_flag"),
        ("My son tells me I'm being soft about my back. But does it hurting mean I'm actually harming myself?", None),
        ("I am harming myself when the pain gets bad", "crisis"),
        ("I've been harming myself again", "crisis"),
        ("I've always cleaned the whole house in one go. My knees can't take it anymore.", None),
        ("I can't take it anymore", "crisis"),
        ("I was in a motorway pile up this morning", "red_flag"),
        ("I've picked a date. After my birthday I'll be free.", "crisis"),
        ("We've picked a date for the wedding in June.", None),
        ("been giving my fishing gear away to my mates, told them i wont be needing them.", "crisis"),
        ("I'm giving my old sofa away to the charity shop.", None),
        ("My heart has been checked, ECG and bloods all normal, and the chest wall pain is from my fibro.", None),
        ("I've got crushing chest pain going down my arm", "red_flag"),
        ("Feeling a bit shivery after my flu jab yesterday and my arm aches.", None),
        ("I've got a fever and chills and my back is agony", "red_flag"),
        ("my legs felt a bit wobbly after a long hot bath, fine again after sitting down for 5 mins.", None),
        ("both my legs have gone weak and wobbly since this morning", "red_flag"),
        ("I wouldn't say I'm hopeless, I still enjoy my garden", None),
        ("I feel hopeless", "crisis"),
        ("I had a fall last month but the hospital x-rayed me and nothing was broken.", None),
        ("I had a bad fall this morning", "red_flag"),
        ("my mom has started soiling herself without noticing", "red_flag"),
        ("cant control when i need a poo anymore, it just comes out.", "red_flag"),
        ("Ive had foot drop since an old disc problem but over the last 3 days its got much worse", "red_flag"),
        ("I've been pressing my cigarette into the back of my hand when the pain is bad", "crisis"),
        ("ive started pinching and hitting my legs till im black and blue", "crisis"),
        ("every night i go to sleep hoping i just wont wake up in the morning.", "crisis"),
        ("Honestly wouldn't be sad if I just slipped away one night.", "crisis"),
        ("I catch myself hoping my heart just gives out one night", "crisis"),
        ("Sorted out my affairs and paid off the little debts.", "crisis"),
        ("I've looked up which of my medicines would be enough and how many I'd need.", "crisis"),
        ("my dad's undercarriage feels like its gone to sleep since yesterday", "red_flag"),
        ("I'm scared I won't come round from the anaesthetic", None),
        ("my husband had prostate cancer treated in 2019. now he's got new lower back pain that isn't getting better.", "red_flag"),
        ("My mum had cancer years ago. Now I've got back pain after gardening.", None),
        ("My dad had bowel cancer. He is fine now. I have a bad back from lifting.", None),
        ("lately I keep thinking about a way out, the pain never stops", "crisis"),
        ("I've been picking the music for my own funeral during the bad nights", "crisis"),
        ("it would be peaceful not to wake up after the op", "crisis"),
        ("I wrote letters to my children just in case", "crisis"),
        ("the tablets are next to me on the bed. and the pills beside me on the table", "crisis"),
        ("I dig my nails into my legs when it flares", "crisis"),
        ("I'm rehoming my cat to my neighbour. I won't need anything after Friday.", "crisis"),
        ("I didn't realise I had wet myself until I stood up", "red_flag"),
        ("I cancelled my physio appointment because I'm away", None),
        ("I'm giving my old bike to my son, he'll get more use of it", None),
        # A joint that "can't cope" is about load; the patient who can't cope is not.
        ("My partner carries the shopping now because my back can't cope.", None),
        ("My back can't cope and honestly I can't go on like this anymore.", "crisis"),
        ("I can't cope.", "crisis"),
        # "Am I harming myself?" asked about pain is the hurt-versus-harm question.
        ("how do i know if im actually harming myself or if its just sore muscles", None),
        ("I keep harming myself when nobody is home", "crisis"),
        # A flare "for no reason" of pain that is years old is not a new pain over 50.
        ("I'm 64 with back pain for about ten years and this week it shot up for no reason.", None),
        ("I'm 71 and my family say I'm exaggerating. I strained my back five years ago and there's no injury left.", None),
        ("I'm 64 and this back pain came on out of nowhere last week.", "red_flag"),
        ("I'm 64 and have had knee pain for years, but now my back hurts for the first time in my life.", "red_flag"),
        # An old accident, said as years of pain since.
        ("whats the outlook? 4 years of neck pain since a car accident", None),
        ("4 years of neck pain since a car accident, and yesterday I fell down the stairs", "red_flag"),
        # Asking about bed rest is not night pain.
        ("Should I rest in bed when my neck suddenly gets much worse?", None),
        ("Should I stay in bed? The pain at night is getting worse every week.", "red_flag"),
        ("Lying in bed the pain gets worse and worse.", "red_flag"),
        # Pushing through a task to the limit is pacing, not despair; an old accident is not today's worry.
        ("When I garden I push on until I can't bear it, then I'm in bed for two days.", None),
        ("I can't bear it anymore.", "crisis"),
        ("my neck has hurt every day since a car crash 10 months ago, will it ever settle", None),
        ("I was in a car crash two days ago and my neck is getting worse.", "red_flag"),
        # A leg that gives way more and more often.
        ("My left knee keeps giving way. Last month it was now and then, now it's every time I take the stairs.", "red_flag"),
        ("My knee gave way once on the stairs years ago and I've been wary ever since.", None),
        # Years of pain since an old accident, or chronic pain after one, is history; a fall this week is not.
        ("My wife has had neck and shoulder pain for about five years since a car accident.", None),
        ("I'm an accountant with chronic neck pain following a road accident.", None),
        ("I've had back pain for years and I fell down the stairs on Monday.", "red_flag"),
        ("my chronic back pain is much worse since I fell off a ladder this morning", "red_flag"),
        # Losing weight for a surgeon's target is intentional.
        ("The surgeon will only operate after I lose some weight.", None),
        ("I've lost a stone in two months and I don't know why.", "red_flag"),
        # Flu-like while cutting down or missing a pain medicine is withdrawal; a temperature is not.
        ("missed my evening tramadol and felt fluey and jittery all night", None),
        ("cutting down my co-codamol and I feel achy and flu-like", None),
        ("cutting down my co-codamol and I have a temperature of 39", "red_flag"),
        ("I feel fluey and shivery and my back is agony", "red_flag"),
        # So are sweats at night while cutting down a pain medicine; chills or a temperature beside them are not explained.
        ("Is it normal to get restless legs and sweats at night since I started cutting down my tramadol?", None),
        ("soaked in sweat every night since I came off the dihydrocodeine", None),
        ("I have drenching sweats at night and my back is agony", "red_flag"),
        ("cutting down my tramadol and I get night sweats and chills", "red_flag"),
        ("night sweats every night for a month and my back aches", "red_flag"),
        ("I came down with something flu-like and my back is agony", "red_flag"),
        # A gadget, not a sensation.
        ("I sit on a heated seat cover and a vibrating massage cushion in the cab.", None),
        ("there's a vibrating feeling around my seat area and my back is agony", "red_flag"),
        ("I sit on a heated seat cover all day and now my bum feels numb and tingly", "red_flag"),
        # Slow to start, no feeling of passing urine, affairs put in order.
        ("I stand at the loo for ages and nothing comes, then just a trickle.", "red_flag"),
        ("Peeing feels different, I can't feel it passing at all.", "red_flag"),
        ("Gave my dog to my sister today and sorted out who gets my things.", "crisis"),
        ("I get a dead arm if I sleep on my side", None),
        # "I can't do it" of an exercise is not despair; a finger slipping on a keyboard is not a fall.
        ("I tried the plank my physio showed me but I can't do it.", None),
        ("I can't do it anymore, I'm done with all of it.", "crisis"),
        ("my knee slipped on the keyboard and sent a half-written email", None),
        ("I slipped on the stairs this morning and my back is agony", "red_flag"),
        # One leg weakening: "weaker and weaker", or no longer rising onto the toes of that foot.
        ("since last week my right leg feels weaker and weaker and today I nearly went over", "red_flag"),
        ("my left leg feels weak and I can't push up onto my tiptoes on that side, it's weaker than last week", "red_flag"),
        ("I stopped the gym in the summer and I'm getting weaker and weaker, how do I start again?", None),
    ],
)
def test_indirect_warnings_and_their_look_alikes(detector, text, expected):
    categories = detector.screen(text).categories()
    assert (categories[0] if categories else None) == expected


# Session 22: despair and warning signs that only the classifier or the meaning check caught before, so
# the rules catch them on their own now (safety must not rest on a model's guess), beside look-alikes.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Truthfully I'd be relieved to be gone.", "crisis"),
        ("I'm disappointed every time I wake up.", None),  # not the phrase; the next one is
        ("Most mornings I'm disappointed that I woke up at all.", "crisis"),
        ("I'd happily not wake up tomorrow, I'm worn out.", "crisis"),
        ("I hope I don't see another birthday if it's going to be like this.", "crisis"),
        ("Some nights I hope the scan will find something terminal so it can stop.", "crisis"),
        ("I hope it's not something terminal, the ache has been there for weeks.", None),
        ("I hope I get something like a cold so I can have a day off.", None),
        ("I'd rather not be alive than spend another decade like this.", "crisis"),
        ("I'd rather not be around when the builders arrive.", None),
        ("I keep wishing a lorry would just hit me on the way to work.", "crisis"),
        ("Part of me wants my heart to just give out in my sleep.", "crisis"),
        ("I just want to stay asleep forever.", "crisis"),
        ("My husband would be better off not having to care for me.", "crisis"),
        ("Nobody would even notice if I was gone.", "crisis"),
        ("I'm running out of reasons to stay.", "crisis"),
        ("I don't trust myself tonight.", "crisis"),
        ("I'm ready to stop fighting altogether.", "crisis"),
        ("I don't think I can keep this up much longer.", "crisis"),
        ("I can't keep this pace up much longer at work, how do I pace my shifts?", None),
        ("Our children would have a happier life without a dad who can't get off the sofa.", "crisis"),
        ("I'm thinking of walking into the sea on Sunday.", "crisis"),
        ("I've started giving my belongings away to my nieces.", "crisis"),
        ("I burn my leg with a lighter when the pain peaks.", "crisis"),
        ("I just want it all to be over.", "crisis"),
        ("I don't want it to be over, this holiday has been lovely for my back.", None),
        ("This flare has gone on for two weeks, I just want it to be over.", None),
        ("I burnt my hand on the kettle this morning and my back was too stiff to jump away.", None),
        ("I hope the pain will disappear permanently after the injection.", None),
        ("Is there any point to me doing the stretches if they hurt?", None),
        ("I wish I hadn't made it to the gym today, my back is sore.", None),
        ("I don't trust myself on my own on the stairs since my knee went.", None),
        ("My GP has given up on me, what else can I try?", None),
        ("I've tried physio, pills and injections. What's left for me?", None),
        ("I want my body to stop hurting so I can play with my kids.", None),
        ("I'm not sure if I emptied the dishwasher before my back went.", None),
        # Red flags in lay words.
        ("Since Monday I'm never sure if I've actually emptied my bladder, and my back is bad.", "red_flag"),
        ("My bladder just let go in the supermarket with no warning.", "red_flag"),
        ("My bladder gave out when I sneezed, I've had three kids.", None),
        ("My right knee gives way now and then but the other leg is fine.", None),
        ("My left knee buckles and the other leg is going weak as well.", "red_flag"),
        ("I've had two accidents with my bowels this week and didn't feel them coming.", "red_flag"),
        ("Both my feet are slapping down when I walk since my back went.", "red_flag"),
        ("My legs went from under me twice today, both of them.", "red_flag"),
        ("I can't get up on my toes on either side anymore.", "red_flag"),
        ("During sex last night I couldn't feel anything down there.", "red_flag"),
    ],
)
def test_session_22_rules_catch_what_only_the_model_caught(detector, text, expected):
    categories = detector.screen(text).categories()
    assert (categories[0] if categories else None) == expected


# Session 24: the kinds of warning sign that only the classifier or the meaning check caught (27 of the
# labelled signs), and the kinds blind round 7 exposed, now caught by rules of their own; beside each
# kind, the everyday look-alike that must stay quiet. Written for this test, not taken from the sets.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Saddle area and bladder in lay words.
        ("Ever since my back locked on Sunday it's like a dentist numbing jab round my bottom.", "red_flag"),
        ("It feels as if I'm sitting on thin air when I'm on the loo, my back's been bad all week.", "red_flag"),
        ("I've been sitting on a bag of frozen peas to calm my tailbone after the fall last year.", None),
        ("My wife pinched my bum and I did not feel it at all, it's numb back there since my back went.", "red_flag"),
        ("Leaked a bit on the walk home and never noticed it until I got in, my back's agony.", "red_flag"),
        ("I leaked a bit when I sneezed and didn't notice until later, three kids will do that.", None),
        ("I had an accident in my pants at work today, my lower back has been awful since Friday.", "red_flag"),
        ("I have to press on my belly to empty and the wee is just a dribble since my back went.", "red_flag"),
        # Legs.
        ("My right foot has started dragging and since Thursday I can barely lift the front of my foot.", "red_flag"),
        ("Both my feet feel wrapped in cling film, my back's been bad for a week.", "red_flag"),
        ("My legs were like jelly after a long hike yesterday, both of them, is that normal?", None),
        ("My left leg has gone weak on the stairs and yesterday it was only a bit wobbly.", "red_flag"),
        # Injury, fever, infection, fractures.
        ("My pony threw me this morning and I landed flat on my back on the yard.", "red_flag"),
        ("I tripped over the dog but landed on the sofa, no new pain at all.", None),
        ("Temp 39.5 last night and my back is really sore in one spot.", "red_flag"),
        ("Our pool temperature is 30 degrees, is hydrotherapy good for my back?", None),
        ("It was 30 degrees on holiday and my back loved the heat.", None),
        ("The temperature was below zero this morning and my knees ached.", None),
        ("Lower back pain and a temperature of 38.4 since this morning.", "red_flag"),
        ("My thermometer says 101F and my back is throbbing.", "red_flag"),
        ("I'm on anti-rejection tablets and this week I just feel washed out with a new back ache.", "red_flag"),
        ("Steroids for my asthma for years, I bent to pick up the washing and felt a sharp pain in my back.", "red_flag"),
        # Night pain whatever the position.
        ("Most of the night my back aches and there's no comfy position at all.", "red_flag"),
        ("I wake at night if I've slept on one side too long, then I turn over and it eases.", None),
        ("At night lying still makes it worse, I end up walking round the kitchen.", "red_flag"),
        # Chest, arm and jaw; a tearing pain.
        ("My upper back pain goes up into my jaw when I'm out of breath on the hill.", "red_flag"),
        ("My left arm aches and I'm sweating and feel sick, I was only sitting down.", "red_flag"),
        ("Sharp pain between my shoulders, like something ripping, and I feel faint.", "red_flag"),
        ("It felt like something tore in my back when I lifted the sofa, now it's stiff.", None),
        # New pain at a risky age, hot joints, arteries, sexual function.
        ("73 and healthy, but a new ache in my spine for a month. Which cream?", None),
        ("I'm 73 and never happened before, this ache in my spine for a month. Which cream?", "red_flag"),
        ("My elbow has blown up overnight and I feel like I'm coming down with something.", "red_flag"),
        ("My knee's swollen but not hot or red and I feel perfectly well after the long walk.", None),
        ("Dad's 80, he says chewing wears his jaw out and his shoulders are stiff every morning.", "red_flag"),
        ("Since my back went nothing works in the bedroom anymore.", "red_flag"),
        ("Dropped my keys three times today and my neck has been aching for weeks.", "red_flag"),
        # Weight.
        ("My belt is on a new notch and I'm not trying to lose weight, plus this back pain.", "red_flag"),
        ("I've lost a bit of weight since I started swimming and cut out takeaways.", None),
        ("Breast cancer years ago, but the MRI showed no spread and the consultant said it's wear and tear.", None),
        # Despair said sideways.
        ("I go to bed hoping this is the last time I close my eyes.", "crisis"),
        ("I hope this is the last time I have to see the surgeon about my knee.", None),
        ("I'd give anything to drift off and that be the end.", "crisis"),
        ("I'd do the stretches and that would be the end of it, right?", None),
        ("I keep going to the bridge after work and stood there for ages last night.", "crisis"),
        ("There's nothing left.", "crisis"),
        ("I feel so empty.", "crisis"),
        ("I've tried physio, pills and injections. What's left for me?", None),
        ("No point making plans, I won't be around for them.", "crisis"),
        ("I'm frightened of what I might do tonight.", "crisis"),
        ("I want to make it all stop for good.", "crisis"),
        ("I want the pain to stop for good, is surgery the answer?", None),
        ("I've been putting aside some of my pills every week just in case.", "crisis"),
        ("I gave my guitar to my nephew and I feel at peace about it now.", "crisis"),
        ("I hit my arm with my fist until it hurts in a different way.", "crisis"),
        ("I hit my arm on the door frame and now my elbow hurts.", None),
        ("Got the razor blades out last night but put them away.", "crisis"),
        ("I can't see why I should keep going.", "crisis"),
        ("Everyone would cope fine if I just wasn't around.", "crisis"),
        ("If a lorry hit me tomorrow I'd honestly be relieved.", "crisis"),
        ("I'm not sure I want to be here anymore.", "crisis"),
        ("I'm not sure I want to be here at this gym, it's too loud.", None),
        # Everyday senses of the same words (review of session 24's rules).
        ("I won't be around to see it wear out, the surgeon says the new knee lasts 25 years.", None),
        ("I'm scared of what I might do to my knee if I start running again.", None),
        ("A car hit me in 2019 and I'm happy I can walk again, any exercises for my hip?", None),
        ("I hope the scan doesn't find something terminal, I'm so worried.", None),
        ("I put my tablets away in the cupboard so the grandkids can't reach them.", None),
        ("I'll ask my boss about a stool, just waiting for the right moment.", None),
        ("I've got a date in my head for going back to work, is a phased return wise?", None),
        ("Trying to get a GP appointment is like banging my head against the wall.", None),
        ("I pinch my leg to feel if the numbness in my foot has changed.", None),
        ("I keep punishing myself by overdoing the gardening on good days.", None),
        ("I pressed on my bruise from the fall to see if it still hurts.", None),
        ("I can't see why I should bother with the stretches if they don't help.", None),
        ("I can't imagine next year without my weekly swim.", None),
        ("The team would manage fine if I wasn't at work on Fridays.", None),
        ("I'm not doing another year of this job, my back can't take the lifting.", None),
        ("The afternoons just drag and my pain is getting worse.", None),
        ("I feel off balance when I turn my neck quickly after the operation last week.", None),
        ("I can't do up my laces because bending hurts my back, and my neck is stiff too.", None),
        ("I get a headache on the side of my head when my neck is stiff.", None),
        ("I don't feel it in my bum anymore, the sciatica has moved down to my calf.", None),
        ("I like sitting on an ice pack for my tailbone after a long drive.", None),
        ("My hot water bottle leaked in the night and I didn't notice until morning.", None),
        ("I had my knee strapped with tape, both legs wrapped in tape for the marathon.", None),
        ("I fell down the stairs yesterday, no pain at all until this morning, now my back is agony.", "red_flag"),
        ("Breast cancer five years ago and my bloods were fine, but this new back ache won't shift.", "red_flag"),
    ],
)
def test_session_24_rules_catch_what_only_the_model_caught(detector, text, expected):
    categories = detector.screen(text).categories()
    assert (categories[0] if categories else None) == expected
