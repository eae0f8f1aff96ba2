"""The seeded taxonomy: the terms issue 3 names, with codes that exports can rely on."""

import uuid

from pathways.taxonomy.models import Term, Vocabulary

RESETTLEMENT_PATHWAYS = {
    "pathway-accommodation": "Accommodation",
    "pathway-ete": "Education, training and employment",
    "pathway-health": "Health",
    "pathway-drugs-alcohol": "Drugs and alcohol",
    "pathway-finance": "Finance, benefit and debt",
    "pathway-children-families": "Children and families",
    "pathway-attitudes": "Attitudes, thinking and behaviour",
    "pathway-women-abuse": "Support for women who have been abused, raped or experienced domestic violence",
    "pathway-women-prostitution": "Support for women who have been involved in prostitution",
}

ANNEX_2_CATEGORIES = {
    "category-advice": "Advice",
    "category-gambling": "Gambling",
    "category-drugs-alcohol": "Drugs and alcohol",
    "category-housing": "Housing",
    "category-ete": "Education, training and employment (ETE), learning and skills",
    "category-restorative-justice": "Restorative justice",
    "category-health": "Health and mental health",
    "category-mentoring": "Mentoring and support",
    "category-sex-offender-work": "Work with people convicted of sexual offences",
}
OTHER_CATEGORIES_IN_THE_TEXT = {
    "category-basic-skills": "Basic skills",
    "category-befriending": "Befriending",
    "category-faith-support": "Faith support",
    "category-family-support": "Family support and parenting",
    "category-counselling": "Counselling",
    "category-arts": "Arts",
    "category-language-culture": "Language and cultural support",
}

CLIENT_GROUPS_NAMED_IN_THE_ISSUE = {
    "group-young-adults": "Young adults (18 to 25)",
    "group-women": "Women",
    "group-minority-ethnic": "People from minority ethnic groups",
    "group-foreign-nationals": "Foreign nationals",
    "group-veterans": "Veterans",
    "group-learning-disabilities": "People with learning disabilities",
    "group-mental-health": "People with mental health needs",
    "group-families": "Families of people in prison",
}


def _terms(vocabulary_code):
    return dict(Term.objects.filter(vocabulary__code=vocabulary_code).values_list("code", "name"))


def test_the_resettlement_pathways_are_the_seven_and_the_two_for_women(db):
    assert _terms("pathways") == RESETTLEMENT_PATHWAYS


def test_the_service_categories_are_annex_2_and_the_others_the_case_study_names(db):
    assert _terms("service-categories") == ANNEX_2_CATEGORIES | OTHER_CATEGORIES_IN_THE_TEXT


def test_the_client_groups_include_every_group_the_issue_names(db):
    groups = _terms("client-groups")
    assert groups.items() >= CLIENT_GROUPS_NAMED_IN_THE_ISSUE.items()


def test_every_seeded_term_is_current_and_its_code_starts_with_its_vocabularys_prefix(db):
    for term in Term.objects.select_related("vocabulary"):
        assert not term.is_retired
        assert term.code.startswith(term.vocabulary.term_prefix + "-"), term.code


def test_the_vocabularies_have_distinct_prefixes(db):
    prefixes = [vocabulary.term_prefix for vocabulary in Vocabulary.objects.all()]
    assert sorted(prefixes) == ["category", "group", "pathway"]


def test_a_terms_uuid_is_the_same_on_every_installation(db):
    advice = Term.objects.get(code="category-advice")
    assert advice.uuid == uuid.UUID("81bc8d70-5fc2-5414-bd7c-40166d60670e")
    assert Vocabulary.objects.get(code="service-categories").uuid == uuid.UUID("549d5c35-f039-5dfa-ac66-0cc3d28fd83d")
