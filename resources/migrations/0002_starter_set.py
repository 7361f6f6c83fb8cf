"""A small starter set of widely known, international and national lines and groups.

VERIFY BEFORE RELYING ON IT: these details were written from general knowledge, not checked against
each service. Every entry has no `last_verified_on`, so the admin lists it as "Never: verify before
relying on it" and the site says the details are not yet checked. A moderator should check each
number and website, then use the admin action "Mark the selected entries as verified today".
"""

from django.db import migrations

CRISIS, PEER, SERVICE, READING = "crisis_line", "peer_group", "professional_service", "reading"
ALWAYS = "24 hours, every day"

STARTER_SET = [
    # (name, kind, country, region, phone, website, opening hours, description, support types)
    ("Find A Helpline", CRISIS, "", "", "", "https://findahelpline.com", "",
     "Free, confidential helplines around the world, searchable by country and by what you need.",
     ["emotional", "informational"]),
    ("Befrienders Worldwide", CRISIS, "", "", "", "https://befrienders.org", "",
     "A directory of emotional support helplines, to find one in your country.",
     ["emotional"]),
    ("Alcoholics Anonymous", PEER, "", "", "", "https://www.aa.org", "",
     "Free peer support meetings, in person and online, for anyone who wants to stop drinking.",
     ["peer"]),
    ("Narcotics Anonymous", PEER, "", "", "", "https://na.org", "",
     "Free peer support meetings, in person and online, for recovery from drug use.",
     ["peer"]),
    ("World Health Organization: mental health", READING, "", "", "", "https://www.who.int/health-topics/mental-health", "",
     "Plain information about mental health conditions and where care can come from.",
     ["informational"]),
    ("Samaritans", CRISIS, "GB", "", "116 123", "https://www.samaritans.org", ALWAYS,
     "Someone to talk to about anything, free and confidential.",
     ["emotional"]),
    ("Shout", CRISIS, "GB", "", "Text SHOUT to 85258", "https://giveusashout.org", ALWAYS,
     "A free, confidential text service for anyone struggling to cope.",
     ["emotional"]),
    ("NHS 111", SERVICE, "GB", "England", "111", "https://111.nhs.uk", ALWAYS,
     "Urgent health advice, including urgent mental health help.",
     ["professional", "informational"]),
    ("Mind", READING, "GB", "", "0300 123 3393", "https://www.mind.org.uk", "",
     "Clear information about mental health problems, treatment and your rights, and local Mind services.",
     ["informational"]),
    ("Samaritans Ireland", CRISIS, "IE", "", "116 123", "https://www.samaritans.org/ireland/", ALWAYS,
     "Someone to talk to about anything, free and confidential.",
     ["emotional"]),
    ("988 Suicide & Crisis Lifeline", CRISIS, "US", "", "988", "https://988lifeline.org", ALWAYS,
     "Call or text 988, or chat online, for free and confidential support.",
     ["emotional"]),
    ("Crisis Text Line", CRISIS, "US", "", "Text HOME to 741741", "https://www.crisistextline.org", ALWAYS,
     "Free, confidential support by text message.",
     ["emotional"]),
    ("NAMI", PEER, "US", "", "", "https://www.nami.org", "",
     "Free peer-led support groups and education for people living with mental illness and their families.",
     ["peer", "informational"]),
    ("9-8-8 Suicide Crisis Helpline", CRISIS, "CA", "", "988", "https://988.ca", ALWAYS,
     "Call or text 988 for free support in English or French.",
     ["emotional"]),
    ("Lifeline", CRISIS, "AU", "", "13 11 14", "https://www.lifeline.org.au", ALWAYS,
     "Crisis support by phone, text and online chat.",
     ["emotional"]),
    ("1737, Need to talk?", CRISIS, "NZ", "", "1737", "https://1737.org.nz", ALWAYS,
     "Call or text 1737 to talk with a trained counsellor, free.",
     ["emotional", "professional"]),
    ("TelefonSeelsorge", CRISIS, "DE", "", "0800 111 0 111", "https://www.telefonseelsorge.de", ALWAYS,
     "Free, anonymous support by phone, chat and email.",
     ["emotional"]),
    ("3114, numéro national de prévention du suicide", CRISIS, "FR", "", "3114", "https://3114.fr", ALWAYS,
     "Free support from health professionals for anyone thinking about suicide, and those around them.",
     ["emotional", "professional"]),
    ("113 Zelfmoordpreventie", CRISIS, "NL", "", "0800 0113", "https://www.113.nl", ALWAYS,
     "Free, anonymous support by phone and chat.",
     ["emotional"]),
]


def add_starter_set(apps, schema_editor):
    Resource = apps.get_model("resources", "Resource")
    for name, kind, country, region, phone, website, hours, description, types in STARTER_SET:
        Resource.objects.get_or_create(
            name=name,
            country=country,
            defaults={
                "kind": kind,
                "region": region,
                "phone": phone,
                "website": website,
                "opening_hours": hours,
                "description": description,
                "is_published": True,
                "last_verified_on": None,
                **{f"gives_{support_type}": True for support_type in types},
            },
        )


def remove_starter_set(apps, schema_editor):
    Resource = apps.get_model("resources", "Resource")
    for name, _kind, country, *_rest in STARTER_SET:
        Resource.objects.filter(name=name, country=country, last_verified_on=None).delete()


class Migration(migrations.Migration):
    dependencies = [("resources", "0001_initial")]

    operations = [migrations.RunPython(add_starter_set, remove_starter_set)]
