"""The starting terms. Loaded by a data migration, so that every installation has the same codes.

Sources: the seven resettlement pathways and the two added for women (Reducing Re-offending
National Action Plan, 2004, as the case study uses them); service categories from the case study's
Annex 2 and its text; client groups named in the sources.
"""

# The start of each vocabulary's term codes. Terms that curators add get codes in the same pattern.
TERM_PREFIXES = {"pathways": "pathway", "service-categories": "category", "client-groups": "group"}

VOCABULARIES = [
    (
        "pathways",
        "Resettlement pathways",
        "The seven resettlement pathways, and the two added for women.",
        [
            ("pathway-accommodation", "Accommodation", ""),
            ("pathway-ete", "Education, training and employment", ""),
            ("pathway-health", "Health", "Physical and mental health."),
            ("pathway-drugs-alcohol", "Drugs and alcohol", ""),
            ("pathway-finance", "Finance, benefit and debt", ""),
            ("pathway-children-families", "Children and families", ""),
            ("pathway-attitudes", "Attitudes, thinking and behaviour", ""),
            (
                "pathway-women-abuse",
                "Support for women who have been abused, raped or experienced domestic violence",
                "",
            ),
            ("pathway-women-prostitution", "Support for women who have been involved in prostitution", ""),
        ],
    ),
    (
        "service-categories",
        "Service categories",
        "What a service does. The first nine are the categories of probation spend in the case study's Annex 2.",
        [
            ("category-advice", "Advice", ""),
            ("category-gambling", "Gambling", ""),
            ("category-drugs-alcohol", "Drugs and alcohol", ""),
            ("category-housing", "Housing", ""),
            ("category-ete", "Education, training and employment (ETE), learning and skills", ""),
            ("category-restorative-justice", "Restorative justice", ""),
            ("category-health", "Health and mental health", ""),
            ("category-mentoring", "Mentoring and support", ""),
            ("category-sex-offender-work", "Work with people convicted of sexual offences", ""),
            ("category-basic-skills", "Basic skills", "Reading, writing and numbers."),
            ("category-befriending", "Befriending", ""),
            ("category-faith-support", "Faith support", "Chaplaincy and faith-based groups."),
            ("category-family-support", "Family support and parenting", ""),
            ("category-counselling", "Counselling", ""),
            ("category-arts", "Arts", ""),
            ("category-language-culture", "Language and cultural support", ""),
        ],
    ),
    (
        "client-groups",
        "Client groups",
        "Groups of people a service is for.",
        [
            ("group-young-adults", "Young adults (18 to 25)", ""),
            ("group-women", "Women", ""),
            ("group-minority-ethnic", "People from minority ethnic groups", ""),
            ("group-foreign-nationals", "Foreign nationals", ""),
            ("group-veterans", "Veterans", "People who have served in the armed forces."),
            ("group-learning-disabilities", "People with learning disabilities", ""),
            ("group-mental-health", "People with mental health needs", ""),
            ("group-families", "Families of people in prison", ""),
            ("group-older-people", "Older people", ""),
            ("group-care-leavers", "Care leavers", ""),
            ("group-homeless", "People who are homeless or at risk of homelessness", ""),
            ("group-substance-use", "People who use drugs or alcohol", ""),
        ],
    ),
]


def load(apps) -> None:
    """Create or refresh the starting vocabularies and terms. Idempotent; never touches added terms.

    ``apps`` is a migration's historical registry, or ``django.apps.apps``.
    """
    Vocabulary = apps.get_model("taxonomy", "Vocabulary")
    Term = apps.get_model("taxonomy", "Term")
    for v_position, (code, name, description, terms) in enumerate(VOCABULARIES):
        vocabulary, _ = Vocabulary.objects.update_or_create(
            code=code, defaults=dict(name=name, description=description, position=v_position)
        )
        for position, (term_code, term_name, term_description) in enumerate(terms):
            Term.objects.get_or_create(
                code=term_code,
                defaults=dict(vocabulary=vocabulary, name=term_name, description=term_description, position=position),
            )
