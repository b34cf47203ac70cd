"""The discipline guard's rules: discipline topics, and the safety signs that override them.

A text is a discipline matter when a discipline rule matches and no safety rule does ("kid
vaping in the bathroom" is refused; "kid vaping in the bathroom, passed out, not breathing"
is not). Each rule is a named topic with word-boundary patterns, so a refusal can say which
topic and which words decided it. A safety word under a negation ("no one hurt", "no weapon
found"), in a harmless sense ("fire drill", "shot a video", "killed it"), a fight told as none
("just arguing, nobody touched anyone") or alone in scare quotes ("'missing' from 3rd block")
does not count; notes about the school's programme ("vaping prevention assembly") are no
discipline matter.
The rules read the text as it is typed: lower case, no accents, emphasis, slang,
abbreviations and common misspellings written out (`_normal`); English and Spanish words sit
in the same topics. `verdict` has the fine-tuned encoder (`discipline_encoder`, decision 0024)
decide; it may overrule a safety sign only when the sign's words have a harmless sense and it is
all but sure. `rules_verdict`, the guard in a surge, adds two linear models to the rules
(`discipline_model`, decision 0023): the discipline model may refuse a text no rule reads when
it is sure, the text names whom it is about and no safety sign matches; the safety model lets
through a text a discipline rule reads when it is sure the text tells of danger in words no
safety rule reads. Measured on the labelled files in tests/safeops/core/
(docs/discipline-guard.md, decisions 0022-0024).

Over 500 lines: most of it is the vocabularies (the patterns of each topic), kept beside the
reading that applies them (normalisation, negation, harmless senses) so a rule and what
bends it are read together.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from safeops.core import discipline_encoder
from safeops.core.discipline_model import safety_score_normal, score_normal, top_words

_WORDS = r"(?:\W+\w+){0,%d}?\W+"


def near(first: str, second: str, words: int = 5) -> str:
    """A pattern: `first` and `second` (either order) at most `words` words apart."""
    gap = _WORDS % words
    return rf"(?:{first}){gap}(?:{second})|(?:{second}){gap}(?:{first})"


# How requests are typed: slang, abbreviations and common misspellings (lower-case, without
# accents), written out before the rules run (`_normal`): {written: "variant variant …"}.
_SPELLING = {
    variant: written
    for written, variants in {
        "please": "pls plz plse",
        "right now": "rn",
        "because": "bc b/c cuz bcuz becuz",
        "with": "w/",
        "without": "w/o",
        "before": "b4",
        "at": "@",
        "people": "ppl",
        "student": "stu stud",
        "week": "wk",
        "weeks": "wks",
        "girlfriend": "gf",
        "boyfriend": "bf",
        "through": "thru",
        "about": "abt",
        "room": "rm",
        "rooms": "rms",
        "homework": "hw",
        "cell": "cel",
        "phone": "fone phne",
        "phones": "fones",
        "cigarettes": "cigs ciggs ciggies",
        "school": "skool",
        "knuckles": "knucks",
        "you": "u",
        "your": "ur",
        "toilet papered": "tp'd tped tp'ed",
        "vaping": "vapeing vapping",
        "skipped": "skiped skipt",
        "skipping": "skiping",
        "library": "libary liberry",
        "detention": "detension detentoin",
        "suspension": "suspention suspenion",
        "suspended": "suspened",
        "tardy": "tardie",
        "tardies": "tardys",
        "absence": "absense",
        "absences": "absenses",
        "truant": "truent",
        "cheating": "cheeting",
        "cussing": "cusing cussin",
        "dress code": "dresscode",
        "aggressive": "agressive",
        "threatening": "threatning threating",
        "suicide": "sucide suiside",
        "suicidal": "sucidal",
        "breathing": "brething breating",
        "unconscious": "unconcious",
        "seizure": "siezure seisure",
        "bleeding": "bleding",
        "knife": "knif",
        "weapon": "weopon weapen wepon",
        "harass": "harrass",
        "harassing": "harrassing",
        "bullying": "bulling",
        "choking": "choaking",
        "stabbed": "stabed",
        "fight": "fite",
        "fighting": "fiting",
        "the": "teh",
        "class": "clas",
    }.items()
    for variant in variants.split()
}
_G_DROPPED = (
    "vap|skipp|walk|go|cutt|smok|cuss|sagg|text|play|ditch|fight|shoot|bleed|stabb|breath|"
    "chok|yell|talk|sneak|cheat|hid|runn|mess|sitt|hang|throw|punch|kick|threaten|cry|scream|"
    "putt|wear|bounc|laugh|gett|danc|"
    "shak|leav|roam|wander|sleep|eat|swear|curs|fak|chill|sneak|lov|kill|jump"
)
_SLANG = re.compile(
    r"(?<![\w/'])(?:"
    + "|".join(re.escape(word) for word in sorted(_SPELLING, key=len, reverse=True))
    + rf"|(?:{_G_DROPPED})in'?)(?![\w/])"
)
_EMPHASIS = re.compile(r"([a-z])\1{2,}")

# School-day vocabulary the discipline topics are built from.
_CLASS = (
    r"class(?:es|room)?|periods?|blocks?|bell|study hall|advisory|homeroom|lesson|lecture|"
    # "in Spanish" is a language ("texts in Spanish"), "Spanish" alone may be the class
    r"labs?|PE|gym|art|band|choir|chorus|math|ELA|science|history|"
    r"(?:english|spanish|french)(?<!in english)(?<!in spanish)(?<!in french)|"
    r"reading|writing|algebra|geometry|biology|chemistry|physics|civics|economics|music|"
    r"drama|theater|theatre|health|computers?|coding|specials|recess|tests?|exams?|"
    r"quiz(?:zes)?|course|school|campus|assembly|detention|ISS|instruction|"
    # "3rd" is a period, "3rd grade" a grade level ("student in 3rd grade asked for food")
    r"(?:[1-8](?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth)(?! grade)|"
    r"final|"
    # Spanish (written without accents: the text is read without them)
    r"clases?|examen|salon|maestr[ao]s?|profesor(?:a|es)?|escuela|primera hora|recreo"
)
_STAFF = (
    r"teachers?|subs?|substitutes?|staff|coach\w*|monitors?|aides?|(?:bus )?drivers?|"
    r"secretary|principal|AP|dean|counselor|librarian|lunch (?:lady|staff)|custodian"
)
_ABSENT = (
    r"skip\w*|cut|cuts|cutting|ditch\w*|miss(?:ed|es|ing)?|walk\w* (?:off|out)|left|leav\w*|"
    r"sneak\w*|snuck|avoid\w*|absent|AWOL|hooky|hasn'?t been|not been|"
    r"(?:hasn'?t|has not|haven'?t|have not|didn'?t|did not) attended|never came back|"
    r"never (?:showed|went|"
    r"made it)|didn'?t (?:go|show|come)|not in|out of|instead of|loiter\w*|hang\w* (?:out|around)|"
    r"hiding|hid"
)
_DEVICE = (
    r"(?:cell ?|smart ?|i)?phones?|smart ?watch\w*|laptops?|chromebooks?|ipads?|tablets?|"
    r"air ?pods|ear ?buds|ear ?pods|headphones|speakers?|devices?|social media|tiktok|"
    r"youtube|selfies?|snapchat|instagram|(?:his|her|their|a) cell(?! number| #)|"
    r"(?:nintendo |his |her |a |the )switch|"
    r"group ?chats?|memes?|on snap|translat\w* apps?|(?:game|gaming|chat|texting) apps?|"
    r"tiktoks?|facetim\w*|celular(?:es)?|telefonos?|roblox|minecraft|fortnite|video ?games?|"
    r"videojuegos|computadoras?"
)
_DEVICE_USE = (
    r"on (?:his|her|their|a|the)|using|uses?|scroll\w*|gam(?:e|es|ing)|text\w*|play\w*|"
    r"watch\w*|film\w*|record\w*|music|put|hand|give|turn|take|took|confiscat\w*|away|out|"
    r"refus\w*|won'?t|charg\w*|snuck|sneak\w*|policy|violation|during|in class|posting|"
    r"blast\w*|usando|jugando|entreg\w*|guarda(?:r|rlo|rla)?|quit(?:a|ar|arle|arse)|durante|"
    r"en clase"
)
_CLOTHES = (
    r"shirts?|t-shirts?|tops?|tank tops?|crop tops?|tube tops?|pants|jeans|shorts|skirts?|"
    r"dress(?:es)?|leggings|pajamas?|hats?|caps?|beanies?|hoods?|hoodies?|bandanas?|du-?rags?|"
    r"bonnets?|curlers|"
    r"slides|sandals|flip[- ]?flops|polos?|uniforms?|ID|lanyards?|badges?|attire|clothing|"
    r"outfits?|see[- ]?through|ripped|lanyards?|sunglasses|ski masks?|"
    r"uniformes?|gorras?|capuchas?|ropa|vestimenta|sombreros?|lentes de sol"
)
_WEAR = (
    r"wear\w*|wore|dressed|came in|come in|showed up in|remove|take off|took off|change|"
    r"violat\w*|not allowed|required|too short|too tight|revealing|sagg\w*|inappropriate|"
    r"indoors|trae|usando|quit(?:a|ar|arse)|no cumple|no permit\w*|puest[oa]s?|llego con|lleva|"
    r"in class"
)
_COMPLY = (
    r"stay|sit|listen|follow|stop|quit|move|put|take|give|hand|do|work|go|come|comply|"
    r"participate|answer|line up|get (?:up|down|off|out)"
)

DISCIPLINE_RULES: dict[str, tuple[str, ...]] = {
    "discipline": (
        r"discipline|disciplinary|detentions?|suspen(?:d|sion|ded)(?! ceiling)|"
        r"in-?school suspension|ISS|OSS|expel\w*|expulsion|saturday school|demerits?|"
        r"write (?:\w+ )?up|write-?ups?|consequences?|sent (?:home|to the office)|"
        r"send (?:\w+ )?to the office|(?:office|discipline|behavior) referral|"
        r"(?:write|writing|needs) (?:a |an )?referral|referral to the (?:office|assistant "
        r"principal|AP|dean|principal)|code of conduct|against the rules|broke the rules|"
        r"breaking the rules|not allowed|prank\w*|graffiti|vandal\w*|litter\w*|"
        r"horseplay|rough ?hous\w*|wrestl\w* (?:\w+ ){0,4}?(?:around|for fun|playing|joking)|"
        r"for fun|(?:playing|horsing|goofing|fooling) around|goofing off|"
        r"ding[- ]dong ditch\w*|knock\w* on (?:\w+ ){0,2}doors? and (?:run\w*|ran)|"
        r"instead of (?:studying|working|doing (?:his|her|their|the) work|learning)|"
        r"(?:feet|foot) (?:up )?on the (?:desk|table)|dirty looks?|stink eye|"
        r"(?:in|on|under) the (?:teacher|sub)'?s? (?:drawer|desk|chair|coffee)|"
        r"(?:ripp\w*|tore|torn|tear\w*) (?:\w+ ){0,3}?(?:pages?|posters?|papers?|books?|signs?|"
        r"decorations|bulletin boards?|flyers?|tests?|quiz(?:zes)?|worksheets?|ceiling tiles?)|"
        r"(?:ripped|tore) (?:it|them) up|bet(?:ting|s)? (?:on|money)|card games?|"
        r"besa(?:ndo|ndose|ron)|"
        r"answers (?:written )?on (?:his|her|their)|wrote (?:the |down )?answers|"
        r"play[- ]?fight\w*|(?:water|food|pillow|"
        r"snowball) fights?|kissing|PDA|spit|spat|spitting|unplug\w*|tapping|distract\w*|"
        r"mock\w*|making fun|mean (?:text|message|comments?|post)|stomp\w* out|slamm\w* doors?|"
        r"(?:stood|standing|stand|climb\w*) on (?:his|her|their|the|a) (?:desk|table|chair)s?|"
        r"swapp?\w* (?:tests|papers|answers|ids|id cards|lunch cards|seats)|"
        r"paid (?:someone|somebody|a friend)|"
        r"(?:b|n|c|f|s)[- ]words?|(?:wrote|writ\w*|carv\w*) (?:his|her|their) (?:names?|initials)|"
        r"blocking (?:the )?(?:stairs|stairwell|hallway|hall|doorway|door)|bouncing off the walls|"
        r"red bull|energy drinks?|(?:rolling|rolled|spinning|spun|leaning|rocking|tipping) "
        r"(?:\w+ ){0,2}chairs?|rubber bands?|flick\w*|drumm\w*|humm\w*|whistl\w*|beatbox\w*|"
        r"burp\w*|farts?|farting|farted|perfume|body spray|cologne|slime|fidget\w*|"
        r"(?:faking|faked|fake) (?:being )?sick|pretend\w* to be sick|"
        r"lied about (?:being sick|(?:his|her|their) (?:grades?|homework|absences?|note|pass))|"
        r"(?:seen|spotted) at (?:the )?(?:mall|store|park|mcdonald'?s|starbucks|walmart|"
        r"gas station)|sell\w* (?:\w+ ){0,2}(?:chips|candy|snacks|food|sodas?|cookies|takis|"
        r"(?:hot )?cheetos|airheads|gum|(?:energy )?drinks)|egg(?:ed|ing)|"
        r"(?:doing|does|did) (?:her|his|their) (?:makeup|nails|hair) (?:in|during)|"
        r"lied about (?:being|going) (?:at|to|in|home)|"
        r"ceiling tiles?|should be (?:working|doing (?:his|her|their) work|listening)|"
        r"(?:bring|take|get|escort|walk) (?:\w+ ){0,3}back to (?:class|his class|her class|the "
        r"classroom)(?:\W+\w+){0,3}?\W+(?:he|she|they)(?:'s| is| are| was) (?:at|in|on) the|"
        r"parked in|(?:sneak|snuck|sneaked)\w* into|not attended|(?:photo|picture|pic|video|"
        r"meme|tiktok)s? of the (?:sub|substitute|teacher|principal|ap|coach|dean)|"
        r"making out|(?:made|make) out with|whoopee cushions?|fart spray|stink ?bombs?|"
        r"toilet[- ]?paper(?:ed|ing)|flipp\w* the lights|skateboard\w*|scooters?|messing around|"
        r"(?:rode|rides?|riding) (?:a|his|her|their) bikes?|playing tag|"
        r"castig\w*|detencion|suspendid[oa]s?|expulsad[oa]s?|mala conducta|reporte de conducta|"
        r"falta de respeto|grafiti|slippers|(?:leav|cut)\w* (?:the )?(?:lunch )?line|"
        r"someone else's|somebody else's|flip\w* off|inappropriate (?:pictures|drawings)|"
        r"slid\w* down|let (?:his|her|their) friends in|racing|nerf|water guns?|squirt guns?|"
        r"(?:pull\w*|hit\w*) the fire alarm|slept|for \d+ minutes|pass to the|"
        r"public display of affection|gambl\w*|(?:cards|dice) for money|"
        r"sharpie|marker|(?:drew|drawing|writ\w*|wrote) on|food fight|running in the hall\w*|"
        r"assigned (?:area|seat)|answer\w* for (?:a|his|her) friend|"
        # mooning, line cutting, dice games, water balloons
        r"moon(?:ed|ing)|jump\w* the (?:lunch )?line|cut\w* in (?:the )?(?:lunch )?line|"
        r"(?:playing|jugando|roll\w*|shoot\w*) dice|cee-?lo|craps|blackjack|poker|"
        r"water balloons?|globos de agua|guerra de (?:comida|globos|agua)|silly string",
        # one scan of the class words for noise, food and dancing in class
        near(
            r"yell\w*|scream\w*|shout\w*|eat\w*|food|candy|drinks?|snacks?|danc\w*|sing\w*",
            _CLASS + r"|hall\w*|testing|cafeteria|library|computer lab",
            4,
        ),
        near(
            r"throw\w*|threw|toss\w*",
            r"paper|pencils?|erasers?|spitballs?|food|trays?|"
            r"lunch|trash|water|balls?|ketchup|packets?|milk|cartons?|chips|grapes",
            3,
        ),
        near(r"sleep\w*|asleep|nap\w*", _CLASS + r"|library", 7),
        # Spanish: gambling, forged signatures, selling sweets, mocking, sleeping in class
        r"apost(?:ando|aban|aron|ar|an)|apuestas?|(?:cartas|dados|baraja) por dinero|"
        r"falsific\w*|besuque\w*|se burl\w*|burlando\w*|"
        r"vend(?:iendo|e|ia|io) (?:dulces|chicles|galletas|candy|stickers|pulseras)",
        near(r"se duerme|dormid[oa]|durmiendo", r"clase|salon|fila", 4),
        near(r"laugh\w*|talk\w* over|walk\w* away from|turn\w* (?:his|her) back on", _STAFF, 4),
        near(r"restroom|bathroom", r"every (?:test|class|period|day)", 5),
        near(r"(?:basket|foot|soccer|kick)?balls?", r"hall\w*|classroom|library|during class", 4),
        near(r"parked|parking", r"permit|staff lot|fire lane", 4),
    ),
    "skipping": (
        r"truan\w*|absentee\w*|absences|habitually absent|hooky|AWOL|"
        # attendance as a problem, not the office, the report or the certificate
        r"attendance (?:problems?|issues?|concerns?|has been)|(?:his|her|their|poor|bad|"
        r"terrible|spotty) attendance|"
        r"chronically absent|\d+ (?:days|absences) (?:missed|absent)|"
        # absences counted or unexcused (session 22, the truancy in its plain words)
        r"absent without (?:an? )?(?:excuse|note|permission)|unexcused|\d+ faltas|"
        r"(?:ausencias|faltas) sin (?:excusa|justific\w*)|(?:out|absent) \d+ (?:of (?:the )?"
        r"(?:last )?\d+ )?days",
        near(
            _ABSENT + r"|supposed to (?:have|be at|be with)|on (?:the|his|her|their) roster",
            _CLASS,
            4,
        ),
        near(
            r"parking lot|in (?:his|her|a) car|courtyard|stairwell|bleachers|outside",
            r"during (?:class|\w+ (?:period|block)|[1-8](?:st|nd|rd|th))",
            4,
        ),
        r"left campus|off campus|should be in|supposed to be in|(?:signed|sign\w*) (?:him|her|"
        r"them)sel\w* out|(?:sneak\w*|snuck) out|skip\w* (?:to go|school|out|the day|to)|"
        r"(?:sitting|sits|sat|hiding|hid|hanging out|staying|stayed|stays) in (?:the |a )?wrong "
        r"(?:room|class\w*|lunch)|"
        r"salt(?:o|ando|a|an|aron) (?:la |las |de )?clases?|"
        r"falt(?:a|ando|o|an|aron) (?:a |a la |a las )?(?:clases?|escuela)|inasistencias?|"
        r"(?:fue|fueron|va|van|sal\w*|escap\w*) (?:de la |del |de )?(?:escuela|campus|"
        r"clase|salon) sin (?:pedir )?permiso|de pinta|"
        r"no quiere ir a (?:la )?(?:escuela|clases?)|se queda en casa|falt(?:o|aron) (?:a |porque|"
        r"hoy|ayer)|se quedo dormid[oa]|"
        r"(?:gonna|going to|plans? to|wants? to) (?:ditch|skip|cut)|"
        r"(?:been in|in) the (?:restroom|bathroom|library|gym|stairwell) for the (?:whole|entire)",
        # Out of class for a whole period: "hid in the bathroom the whole 3rd period".
        near(
            r"hid|hiding|hides|sat|sitting|sits|stayed|staying|hung out|hanging out",
            r"(?:the )?(?:whole|entire|all(?: of)?) (?:[1-8](?:st|nd|rd|th) )?(?:period|class|"
            r"block|[1-8](?:st|nd|rd|th))",
            4,
        ),
    ),
    "substances": (
        r"vap(?:e|es|ed|ing|or|ors|e pens?)|juul\w*|e-?cig\w*|nicotine|tobacco|cigarett\w*|"
        r"cigars?|smok(?:ing|ed|es)|zyns?|lighters?|THC|carts?|cartridges?|vape juice|pods|"
        r"puff bars?|dip|dipping|snuff|chew|weed|marijuana|pot|blunts?|joints?|"
        r"smell\w* like (?:smoke|weed|pot|marijuana)|dab pens?|dab carts?|dabs|nic pouch\w*|"
        r"vape\w*|vapea\w*|vapeo|fuma\w*|mota|marihuana|cigarr\w*|"
        # vape and cigar brands, chewing tobacco
        r"geek ?bars?|elf ?bars?|lost mary|black (?:&|and) milds?|swishers?|backwoods|"
        r"tabaco de mascar|hitting the (?:pen|vape|cart|juul)|nicotin\w*",
    ),
    "phones and devices": (
        # one scan for both: a device near a use (5 words) or a class word (6) reads the same
        near(_DEVICE, _DEVICE_USE + "|" + _CLASS + "|lunch|cafeteria|lunchroom", 6),
        near(r"text(?:s|ed|ing)", _CLASS, 4),
    ),
    "dress code": (
        r"dress[\s_-]*(?:code|policy)|out of dress|sagg\w*|hoods? (?:up|on)|"
        # the uniform as a rule, not the clothing closet's
        r"uniform (?:day|policy|rules?|code|violations?|check)|out of uniform|"
        r"(?:not|isn'?t|wasn'?t|aren'?t|weren'?t) in (?:\w+ )?uniform|"
        r"crop tops?|tube tops?|spaghetti straps?|see[- ]?through|pajamas?|lanyards?|ID badges?|"
        r"school ID|codigo de vestimenta|midriff|bra straps?|low[- ]cut|"
        r"pantalon(?:es)? caid[oa]s?|"
        r"(?:sin|no (?:trae|traia|lleva|llevaba|tiene|usa|es del?)) (?:\w+ ){0,2}?uniforme|"
        r"uniforme incompleto|fuera de(?:l)? uniforme|"
        r"(?:without|no) (?:his|her|their|a|an) (?:school )?(?:ID|lanyard|uniform)|"
        r"pants (?:\w+ ){0,2}(?:at|below|around|down) (?:to )?(?:his|her|their) (?:knees|butt|"
        r"thighs)|pull (?:his|her|their) pants up",
        near(_CLOTHES, _WEAR, 5),
    ),
    "tardiness": (
        r"tard(?:y|ies|iness)|minutes late|late again|repeatedly late|always late|after the bell|"
        r"(?:rolled|rolls|strolled|strolls|waltzed) in at \d|"
        r"lleg(?:o|a|an|aron|ando|ue) (?:\w+ ){0,2}tarde|tardanzas?|retardos?|"
        r"(?:chronically|habitually) late|late (?:\d+|every|each|most) (?:days?|times|mornings?)|"
        r"(?:came|comes|coming|arriv\w*) in late|overslept",
        near(
            r"late",
            _CLASS + r"|came|coming|arriv\w*|show\w* up|walk\w* in|stroll\w*|"
            r"sign\w* in|every day|again|keeps?|daily",
            4,
        ),
        near(r"no (?:note|pass)", r"came in|walked in|rolled in|showed up|arrived", 4),
    ),
    "defiance": (
        r"defi(?:ed|es|ant|ance|ying)|defy|disrespect\w*|insubordinat\w*|talk\w* back|"
        r"back ?talk|mouth\w* off|rude|shut up|rolled (?:his|her|their) eyes|attitude|sass\w*|"
        r"off task|disrupt\w*|interrupt\w*|class clown|clowning|jokes?|noises?|noisy|loud\w*|"
        r"ignor\w*|not following|after being (?:told|asked|warned|redirected)|asked to stop|"
        r"keeps? talking|talking during|under (?:his|her) breath|climb\w* on|"
        r"(?:out of|leaving|left|leave|stay in) (?:his|her|their|the|assigned) seats?|seated|"
        r"walking around the room|refus\w* to (?!leave)|refus\w*|"
        r"pretend\w* (?:not )?to (?:hear|listen)|no (?:respeta|obedece|hace caso|escucha)|"
        r"no (?:se )?quiere (?:trabajar|hacer|sentar\w*|entregar|quitar\w*|guardar|dar|"
        r"obedecer|escuchar|apagar)|le contesta\w*|conteston\w*|groser[oa]s?|desobedec\w*|"
        r"said no to (?:the |his |her |my )?(?:teacher|sub|me|staff)|(?:not|isn'?t|aren'?t|"
        r"won'?t|will not|wasn'?t) listen\w*|rolling (?:his|her|their) eyes|rodando los ojos",
        # Arguing with staff is defiance; students arguing with each other may be a conflict.
        near(r"argu\w*", _STAFF, 3),
        near(r"won'?t|will not|would not|wouldn'?t|doesn'?t|does not|not|no longer", _COMPLY, 1),
        near(r"called|calling|call\w*", r"names?", 3),
        near(r"told|tells|telling", _STAFF, 2),
    ),
    "cheating": (
        # "copied" is cheating, "a copy of the safety plan" is not
        r"cheat\w*|plagiari\w*|cop(?:ied|ying)|copy(?<!a copy)(?<!the copy)(?! of)|"
        r"chatgpt|AI|academic (?:dishonesty|"
        r"integrity)|identical answers|answer key|crib notes|gradebook|chang\w* (?:\w+ )?grades?|"
        r"(?:asked|paid|got) (?:a friend|someone|somebody|\w+ friend) to take (?:his|her|their) "
        r"(?:\w+ )?(?:test|quiz|exam)",
        near(
            r"look\w*(?! (?:so |really )?(?:amazing|great|good|nice|clean|beautiful|awesome))|"
            r"peek\w*|glanc\w*|photo|picture|pics?|notes|answers",
            _CLASS,
            8,
        ),
        r"copi(?:ando|o|ar|aron)|trampa",
    ),
    "profanity": (
        r"profan\w*|curs(?:e|es|ed|ing)|cuss\w*|swear\w*|swore|f-?words?|f[- ]?bombs?|"
        r"foul (?:language|mouth)|bad words?|vulgar\w*|obscen\w*|inappropriate (?:language|"
        r"jokes?|comments?|gestures?)|middle finger|flipped (?:\w+ )?off|groserias|"
        r"flipp\w* (?:\w+ )?the bird|(?:le )?falt\w* (?:el )?respeto|"
        r"malas palabras|palabrotas?",
    ),
    "gum": (r"gum|chicle",),
    "hall pass": (
        r"(?:hall|bathroom|restroom|hallway|library) pass|without (?:a |an )?(?:pass|"
        r"permission|note)|no (?:hall )?pass|(?:wander|roam)\w*|in the halls?|"
        r"(?:else's|forged|fake|expired) (?:hall )?pass|forg(?:e|ed|ing)|not supposed to be|"
        r"out of bounds|off-limits|(?:teachers'?|staff) lounge|vending|sin pase|"
        r"(?:print\w*|made|making|mak\w*) (?:\w+ ){0,2}(?:own )?(?:hall )?pass(?:es)?|"
        r"fake (?:doctor'?s? |medical |parent )?(?:notes?|excuses?|passes)",
    ),
}

# Things named like weapons that are not: a water gun is a prank, a play fight is horseplay.
_NOT_WEAPON_WORDS = "f |f-|food |pillow |snowball |water |squirt |nerf |glue |play |play-"
_NOT_A_WEAPON = "".join(f"(?<!{word})" for word in _NOT_WEAPON_WORDS.split("|"))
_PERSON = (
    r"(?!\w+ (?:chair|desk|locker|seat))(?:\w+ ){0,4}?(?:teachers?|students?|staff|"
    r"classmates?|kids?|aides?|secretary|sso|"
    r"officers?|him|her|me|them|boys?|girls?|child|children|head|face|someone|people|others|"
    r"cars?|parents?)(?!'s (?:chairs?|desks?|lockers?|seats?|bags?|backpacks?|cars?|phones?))"
)

SAFETY_RULES: dict[str, tuple[str, ...]] = {
    "weapon": (
        _NOT_A_WEAPON + r"(?:guns?|gunpoint|firearms?|pistols?|handguns?|revolvers?|rifles?|"
        r"shotguns?|AR-?15|glock|ammo|ammunition|bullets?|magazines? (?:of|for|loaded)|"
        r"loaded|knife|knives|blades?|box ?cutters?|razors?|machetes?|brass knuckles|"
        r"tasers?|stun guns?|pepper spray\w*|mace|weapons?|armed|bombs?|explosives?|"
        r"replica|airsoft|lock in a sock|brandish\w*|syringes?|needles?|pocket ?kni(?:fe|ves)|"
        r"knuckles|with a (?:baseball )?bat|swinging a bat|hatchets?|axes?(?! body)|"
        r"machete|gun ?powder|crowbars?|"
        r"(?:a|his|her) hammer|switchblades?|nunchucks?|throwing stars?|"
        r"pistolas?|armas?|cuchill\w*|navajas?|bombas?|balas?|"
        # an everyday thing used as a weapon (round 8)
        r"(?:pointed|swung|swinging|waved|waving|jabbed|lunged) (?:\w+ ){0,4}?(?:scissors|"
        r"screwdrivers?|compass|bottle|chair|brick|rock|pipe|stick)|(?:grabbed|"
        r"pulled out) (?:\w+ ){0,3}?(?:scissors|screwdrivers?|compass|brick|rock|pipe))",
    ),
    "violence": (
        # a crowd fleeing ("shooting at the game, everyone running"; kids running in a hall is not)
        r"(?:everyone|everybody|people|crowd)(?: is| are|'s)? (?:running|screaming|scattering|"
        r"fleeing|ducking|hiding)|running and screaming|screaming and running|"
        # a person attacked, told of the victim (session 22: "says he was 'attacked' on the way")
        r"(?:was|got|been|being|were|gets?) (?:\w+ )?'?attacked",
        _NOT_A_WEAPON + r"(?:fight\w*|fought|brawl|riot|punch\w*|assault\w*|attack\w*|stab\w*|"
        r"slash\w*|shoot\w*|shots?|fired|beat\w* (?:\w+ )?up|beating|"
        r"(?:got|gets|getting|was|were|be) jumped|chok(?:e|ed|ing)|strangl\w*|violen\w*|"
        r"harass\w*|bull(?:y|ied|ies|ying)|"
        r"destroying|rampage|beat(?:en|ing|s)?|black eye|chas(?:ed|ing)|cornered|hostage|"
        r"barricad\w*|extort\w*|blackmail\w*|out of control|uncontrollabl\w*|rage)",
        r"or (?:he|she|they|I|you) (?:gets?|will get|'ll get)|stomp\w*(?! out)|headbutt\w*|"
        r"cut (?:him|her|them|you|me|someone)|(?:scissors|knife|blade) to|throat|neck",
        r"(?:hit\w*|kick\w*|push\w*|shov\w*|bit|bitten|bit\w*|slam\w*|smash\w*|bash\w*|"
        r"slap\w*|elbow\w*|swung|swing\w*|struck|strik\w*|jump\w*|grab\w*|"
        r"tackl\w*) " + _PERSON,
        r"thr(?:ew|ow\w*) (?:\w+ ){0,2}(?:chairs?|desks?|rocks?|bricks?|bottles?)|"
        r"(?:threw|throwing|throws?) (?!(?:crumpled )?(?:paper|spitballs?|pencils?|erasers?|"
        r"water|food))(?:\w+ ){0,3}at " + _PERSON + r"|(?:being )?held (?:at|hostage|down)|"
        r"\w+point",
        r"choke ?holds?|head ?locks?|(?:holding|held|pinned|pinning) (?:\w+ ){0,2}down|"
        r"dragg\w* (?:\w+ ){0,2}(?:by|down|across|into|out)|pushed (?:\w+ ){0,2}(?:down|into|"
        r"off|over)|head (?:got |was )?slammed|slammed (?:\w+ ){0,3}(?:into|against|onto)|"
        r"trampl\w*|knocked (?:\w+ )?(?:out|down|unconscious)|"
        r"pele(?:a|as|ando|aron)|golpe\w*|peg(?:a|o|aron|ando|an)|maltrat\w*|golpead[oa]s?|moretones|amenaz\w*|"
        r"dispar(?:o|os|ar|aron|ando|ado)|"
        r"balacera|tiroteo|apunal\w*",
    ),
    "threat": (
        r"threat\w*|kill\w*|murder\w*|hit ?list|blow (?:\w+ ){0,2}up|shoot (?:\w+ )?up|revenge|"
        r"columbine|massacre|will pay|(?:going to|gonna|wants? to|will) (?:hurt|get)|die|"
        r"dying|dead|death|swastika|hate crime|(?:is|'s|will be) the day(?! (?:of|before|after))|"
        r"come back with|"
        r"mak\w* (?:them|everyone|everybody|us|you|y'?all) (?:all )?pay|"
        r"shoot (?:\w+ ){0,2}(?:everyone|everybody|people)|list of (?:names|people)|"
        r"matar\w*|mata|muert[oa]s?|muerte",
    ),
    "self-harm": (
        r"suicid\w*|self[- ]?harm\w*|cut\w* (?:him|her|them|my)sel(?:f|ves)|cuts on|"
        r"(?:hurt|kill)\w* (?:him|her|them|my)sel(?:f|ves)|matarse|"
        r"end (?:it|it all|(?:his|her|their|my) life)|"
        r"jump (?:off|from)|(?:never|not) wake up|wrists?|(?:want|wants|wanted) to live|"
        r"goodbye (?:letters?|notes?|messages?)|"
        r"giv\w* away (?:\w+ )?(?:things|belongings|stuff)|better off without|crisis|"
        r"(?:nobody|no one|no-one) (?:would|will|'?d) miss|end (?:things|everything)|a plan to|"
        r"bang\w* (?:his|her|their|my) head|scratch\w* (?:his|her|their|my) (?:arms|skin|wrists)|"
        r"(?:hitting|hit|punching|hits) (?:him|her|them|my)sel(?:f|ves)|"
        r"wants? to (?:die|disappear)|se quiere (?:matar|morir)|quitarse la vida|"
        # means and places of suicide named without the word
        r"(?:a|with a|his|her) rope(?! course)|noose|hang(?:ing)? (?:him|her|them|my)sel(?:f|ves)|"
        r"overpass|(?:on|off|from) (?:the |a )?bridge|train tracks|"
        r"(?:suicide|goodbye) note",
    ),
    "medical": (
        r"not breathing|not responding|shaking|seizing|foaming|breath(?:e|es|ing)|short of breath|"
        r"unresponsive|unconscious|consciousness|pass(?:ed|ing)? out|"
        r"faint\w*|collaps\w*|seizures?|convuls\w*|overdos\w*|OD|narcan|naloxone|bleed\w*|"
        r"blood\w*|injur\w*|concussion|broken|allergic|anaphyla\w*|epi-?pen|reaction|vomit\w*|"
        r"throwing up|pain|hurts?|hurting|dizz\w*|turning blue|chest|heart|diabetic|asthma|"
        r"inhaler|ambulance|911|EMS|paramedics?|hyperventilat\w*|panic attack|"
        r"(?:won'?t|will not) wake|drunk|intoxicated|burn(?:ed|s)|fell|falling|"
        r"hit (?:his|her|their) head|medical|sick|coughing|welts|wounds?|throat|allerg\w*|"
        r"split|gash\w*|stitches|sugar|insulin|ledge|roof|worth it|a plan|no food|hungry|"
        r"parents are gone|alone at home|home alone|"
        # A vital function that stops, named without a medical word: "isn't responding".
        # ("won't move" or "won't respond" is as often a refusal: only waking and breathing.)
        r"(?:not(?<!will not)(?<!would not)|barely|isn'?t|is not|wasn'?t|was not|doesn'?t|"
        r"does not|can'?t|cannot|can not|"
        r"couldn'?t|could not|unable to|stopped) (?:respond\w*|breath\w*|mov(?:e|ing)|"
        r"wak(?:e|ing)|get(?:ting)? up|stand(?:ing)?(?: up)?|walk(?:ing)?|feel (?:his|her|their)|"
        r"open (?:his|her|their) eyes|turn (?:his|her|their) head)|"
        r"(?:won'?t|will not) (?:wake|breathe|open (?:his|her|their) eyes)|"
        r"can'?t wake (?:\w+ ){0,2}up|(?:isn'?t|not|won'?t|doesn'?t) (?:answer\w*|respond\w*) "
        r"(?:when (?:we|i|they|staff|someone) knock|the door)|"
        r"no answer (?:at|from) the (?:door|stall)|lips (?:are |look |turned |turning )?(?:blue|"
        r"purple|gr[ae]y)|swell\w*|stung|stings?|rash|dropped to the floor|confused|meds|"
        r"medications?|stuck (?:in|on) (?:the |a )?(?:elevator|closet|roof)|trapped|"
        r"locked in (?:a|the) (?:\w+ )?(?:closet|room|car|bathroom|stall)|can'?t get out|"
        r"desmay\w*|no respira|(?:sin|ni) respira\w*|(?:esta|se puso|se esta poniendo|labios|"
        r"cara) morad[oa]s?|(?:sin|no tiene) pulso|no responde|no se (?:puede )?mueve|"
        r"no se puede mover|"
        r"convulsi\w*|sangr\w*|herid[oa]s?|ambulancia|se cayo|inconsciente|heat ?stroke|"
        r"heat exhaustion|dehydrat\w*|hypotherm\w*|stroke|contractions|water broke|in labor|"
        r"glass everywhere|no puede respirar|(?:cut|cuts|gash|scratches|marks) (?:on|above|below|"
        r"near|under|across) (?:his|her|their|my) (?:face|eye|arms?|head|hands?|legs?|neck|back)",
        # read in the holdouts' refused safety texts (decision 0022: read, never tuned on before)
        r"(?:can'?t|cannot|can not) (?:catch (?:his|her|their|my) breath|open (?:his|her|their) "
        r"eyes?)|nose ?bleed\w*|(?:pale|gr[ae]y|clammy|sweaty|sweating) and (?:pale|gr[ae]y|clammy|"
        r"sweaty|sweating|shaking|unresponsive|not (?:answering|responding))",
        # read in round 8's refused safety texts (written for training, 2026-12-04)
        r"swollen|burn marks|burns on|quemadur\w*|foam\w* at the mouth|espuma (?:de|por) la "
        r"boca|se desplom\w*",
    ),
    "drugs": (
        r"alcohol|liquor|booze|reeks? of (?:alcohol|liquor|booze|beer)|drunk|vodka|tequila|"
        r"fentanyl|pills?|percocets?|xanax|oxy\w*|laced|heroin|cocaine|meth|opioids?|"
        r"dealing|drugs?|drug deal\w*|edibles?|drugged|spiked|roofie\w*|(?:in|into) (?:her|his|"
        r"my|their|a) drink|powder|(?:unknown|white) substance|acting (?:strange|weird|odd)|"
        r"under the influence|poison\w*|swallowed|ingested|appears high|(?:is|was|seems|looks) "
        r"high|can(?:not|'?t) stand|acting (?:\w+ )?(?:strange|weird|odd|funny)|"
        r"drogas?|pastillas|sobredosis|polvo",
        r"sell\w* (?:\w+ ){0,2}?(?:thc|weed|pot|marijuana|carts|pills|drugs|edibles|gummies|"
        r"percs?|xans?)",
    ),
    "intruder": (
        r"intruders?|trespass\w*|strangers?|unknown (?:adult|man|woman|person|male|female)|"
        r"(?:unauthori[sz]ed|unidentified|suspicious) (?:adult|person|visitor|man|woman|"
        r"vehicle|car|package|device)|climbed the fence|broke into|break-?in|breaking into|"
        r"ski mask|(?:don'?t|do not|doesn'?t) recognize|walked in behind|protective order|"
        r"restraining order|not allowed (?:on|at|in|near) (?:the )?(?:campus|school|building|"
        r"property|grounds)|lockdown|shelter in place|police|robbery|robbed|active shooter",
        # "has no custody" is the danger, not a negated sign
        r"(?:has|have|had|with) no custody|(?:without|lost|no tiene(?: la)?|sin(?: la)?) "
        r"custod\w*|custod(?!ian|ial (?:closet|hall\w*|staff|room|crew|office))\w*|"
        r"court order|abduct\w*|kidnap\w*|follow(?:ed|ing)|lured|"
        r"follows (?:him|her|them|me)|won'?t let (?:him|her|them|me) (?:leave|out|go)|"
        r"locked (?:him|her|them|my)sel(?:f|ves) in|"
        r"(?:man|woman|adult|person|people|someone) (?:we |they |she |he |I )?(?:don'?t|do not|"
        r"doesn'?t) know|masks? on|masked|exposing|trying doors|circling|"
        r"stalk\w*|"
        r"(?:offer\w*|giv\w*) (?:\w+ )?a ride|gang(?! colors| signs)|scared|afraid|"
        r"terrified|unsafe|in danger|won'?t leave|hiding from|"
        r"(?:didn'?t|did not|hasn'?t|has not|never) c(?:o|a)me home|"
        r"(?:no one|nobody) (?:is )?(?:at )?home|refus\w* to leave|nowhere to (?:sleep|go|stay)|"
        r"homeless|welfare|locks? (?:him|her|them) out|kicked (?:him|her|them) out|"
        r"(?:not|isn'?t|is not|wasn'?t|was not) on (?:her|his|the|their) (?:pick-?up |approved )?"
        r"list|hallucinat\w*|psychotic|"
        r"hearing voices|paranoi\w*|stole|stolen|steal\w*|theft|burglar\w*|shoplift\w*|"
        r"carjack\w*|bitten|bite|dogs?|pulling on (?:the )?(?:\w+ )?doors|"
        r"(?:without|no) (?:a )?visitor (?:badge|pass|sticker)|(?:adult|man|woman|lady|guy|"
        r"person|someone|somebody|stranger) (?:\w+ )?(?:without|with no) (?:a )?(?:visitor )?"
        r"(?:badge|pass|sticker|lanyard)|(?:waving|motioning|calling) "
        r"(?:\w+ )?(?:kids|students|children) over|driving (?:\w+ )?(?:past|by|around) (?:the )?"
        r"(?:playground|school|bus stop)|(?:living|sleeping|sleeps|lives) in (?:a|the|their|his|"
        r"her) (?:car|shelter|motel|van)|messaging (?:students|kids|children)|"
        r"(?:man|woman|lady|guy|adult|someone|somebody|person|car|van|truck) (?:\w+ ){0,5}?"
        r"(?:taking|took|filming) (?:pictures|photos|pics|videos?) of (?:kids|students|children)|"
        r"desconocid[oa]s?|nadie (?:lo |la )?conoce|secuestr\w*|"
        r"llevarse (?:al|a la|a el|a su|a los|a mi)|"
        # luring and stalking named without a keyword
        r"get in (?:his|her|a|the|their|my) (?:car|van|truck)|offer\w* (?:him|her|them|kids|"
        r"students) (?:candy|money|vapes?|weed|pills|a job)|waiting (?:for (?:her|him|them)|"
        r"outside)|watching (?:the )?(?:kids|students|children|playground|girls|boys)|"
        r"showing up at (?:her|his|their|the) (?:house|home|school|job|bus stop)",
    ),
    "missing": (
        r"missing(?! (?:class|school|homework|assignments?|work|detention|days|periods?))|"
        r"elop\w*|never (?:arrived|made it|came)|(?:he|she)(?:'s| is) [1-9](?: years old)?\b"
        r"(?! ?(?:min\w*|hours?|days?|times?|periods?|class\w*|tard\w*|am|pm|:|th|st|nd|rd))|"
        r"(?:out|through) the (?:gate|fence)|toward (?:the )?(?:river|road|street|highway|woods|"
        r"creek|lake|pond|tracks)|\d+[- ]year[- ]olds?|pre-?k|preschool\w*|"
        r"kindergart\w*|toddler|ran (?:out|off)|bolted|ran away|run away|runaway|(?:cannot|"
        r"can'?t|could not) (?:be found|find|"
        r"locate)|unaccounted|nobody knows where|wandered (?:off|out|away)|"
        r"did(?:n'?t| not) get (?:off|on) the bus|not on the bus|not at home|perdid[oa]s?|"
        r"desaparec\w*|no aparece|(?:nadie sabe|no sabemos) (?:a )?donde|"
        r"no (?:lo|la) (?:encontramos|encuentran|encuentro|podemos encontrar)|"
        r"tiene (?:[1-7]|tres|cuatro|cinco|seis|siete) anos|"
        # someone out of reach ("not answering his phone"; "parent not answering" is not one, but
        # "mom isn't answering her phone" is: the sign lets a text through, it never refuses one)
        r"(?:not|isn'?t|is not|won'?t|hasn'?t|has not|stopped) (?:been )?(?:answering|answered|"
        r"picking up|responding to) (?:his|her|their) (?:phone|cell|texts|calls)|"
        r"(?:his|her|their) phone (?:is|has been|'s) (?:off|going (?:straight )?to voicemail)",
    ),
    "fire and hazards": (
        r"fire(?! drills?| alarms?| lanes?)|flames?|humo|fuego|incendio|burning|"
        r"(?<!vape )(?<!vaping )smoke (?:coming|pouring|"
        r"filling|in the|detector)|smell\w* (?:of )?(?:smoke|gas|burning)|"
        r"smell\w* like (?:gas|burning)|gas leak|"
        r"explo(?:sion|ded|de)|hazmat|chemicals?|spill\w*|carbon monoxide|power lines?|"
        r"tornado|storm(?!ed|ing|s? (?:out|off))|lightning|flood\w*|earthquake|evacuat\w*|"
        r"dog loose|loose dog",
    ),
    "abuse": (
        r"sexual\w*|rap(?:e|ed|ist)|lap|inappropriate (?:messages|texts|photos|pictures|"
        r"relationship|contact)|grop\w*|touch\w* (?:\w+ ){0,2}inappropriately|"
        r"(?:been|was|is|keeps) touching (?:him|her|them|me)|"
        # English only: Spanish "molestar, molesto, la molestan" is to bother
        r"molest(?:s|ed|ing|ers?|ation)?|exposed (?:him|her)self|"
        r"indecent|sext(?!os?\b|as?\b)\w*|nudes?|"
        r"send (?:\w+ )?(?:pics|pictures|photos|videos) of (?:him|her|them|my)sel(?:f|ves)|"
        r"naked|in the shower|abus\w*|neglect\w*|bruis\w*|"
        r"traffick\w*|groom\w*|private parts|privates|touch(?:es|ed) (?:him|her|them|me)|"
        r"keep (?:it|this) (?:a )?secret|forc\w* (?:him|her|them|me) to|"
        r"(?:la|lo|me|les) toco|toco a|tocando|violacion|violaron|violad[oa]|manose\w*",
    ),
    # Danger named by the situation, not a keyword: a height, a road, a crowd fleeing, a child
    # leaving with an adult who is not theirs (holdout3's refused safety texts, decision 0022).
    "danger": (
        # told without a safety word: sleeping outside, no adult at home, talk of jumping, a mind
        # that is not there, a hidden camera
        r"duerme en (?:el parque|la calle|(?:un|el|su) (?:carro|coche|auto)|la estacion)|"
        r"no (?:hay|ha habido) (?:ningun )?adult[oa]s? en (?:la |su )?casa|"
        r"no adults? (?:at home|in the home|home)|"
        r"(?:hablando de|habla de|quiere|va a|dice que va a) (?:saltar|aventarse|tirarse)|"
        r"no reconoce a nadie|habla raro|arrastra las palabras|slurr\w* (?:his |her )?words|"
        r"(?:hidden|secret) cameras?|camara escondida|"
        r"(?:jump\w*|fell|fall\w*|climb\w*|standing|sitting|hanging|leaning) (?:\w+ ){0,4}?"
        r"(?:(?:out|off) (?:of )?(?:the |a )?(?:[\w-]+ ){0,2}?window|railings?|ledges?|roof|"
        r"balcony|bridge|overpass)|(?:railing|ledge|roof|balcony|bridge)s? (?:\w+ ){0,5}?"
        r"(?:won'?t|will not|refus\w* to) (?:come|get) (?:down|off|back)|"
        r"(?:lying|laying|lay|lies|sitting|standing) (?:down )?in (?:the )?(?:middle of (?:the )?)?"
        r"(?:road|street|highway|traffic|intersection)|"
        r"(?:everyone|everybody|kids|students|people|crowd|they)(?:'re| is| are)? (?:\w+ )?"
        r"(?:running|fleeing|ran|rushing) (?:\w+ ){0,5}?(?:screaming|scream\w*|crying out)|"
        r"stampede|"
        r"(?:left|leaving|went|gone|got in\w*|getting in\w*) (?:\w+ ){0,4}?with (?:an? )?"
        r"(?:adult|older|grown|unknown) (?:man|woman|guy|male|female|person)|"
        r"with an adult (?:who|that) (?:is not|isn'?t|'s not) (?:his|her|their) (?:parent|mom|dad|"
        r"guardian)|"
        r"(?:met|meeting|talking to) (?:\w+ ){0,3}?(?:online|on (?:snapchat|snap|instagram|insta|"
        r"tiktok|discord|roblox|an app|a game))|"
        r"bring\w* (?:the |a |my |his |her )?straps?\b|strapped|"
        r"(?:random|strange|some) (?:adult|man|woman|guy|dude|lady) (?:\w+ ){0,6}?(?:walk\w*|"
        r"wander\w*|came|got) (?:in|into|around|the halls)|"
        r"(?:no one|nobody) (?:has |have )?(?:seen|heard from) (?:him|her|them)|"
        r"(?:recording|filming|photograph\w*|pictures of) (?:\w+ ){0,3}?in the (?:locker ?room|"
        r"shower|changing room)|"
        r"no[- ]contact order|expelled (?:student|kid|boy|girl) (?:\w+ ){0,3}?(?:back|on campus|"
        r"in the building|here)|"
        # an adult reaching a child through a pass, a note or gifts (round 8)
        r"(?:grown|older|adult) (?:man|guy|woman|lady|male|female) (?:\w+ ){0,3}?(?:gave|gives|"
        r"giving|sent|sends|texted|texts|paid|pays|paying|told) (?:her|him|them|the (?:kid|"
        r"student|girl|boy))|(?:try\w*|tried) to (?:pick up|take|sign out) (?:a |the |an? )?"
        r"(?:\w+ )?(?:kid|child|student|girl|boy|\d+(?:st|nd|rd|th) grader)|"
        r"(?:hasn'?t|has not|haven'?t|have not) been home|locked (?:him|her|them|me) in|"
        r"put (?:him|her|them|you|me|us) in the hospital|forc\w* (?:\w+ ){0,3}?to hand over",
    ),
    "traffic": (
        r"hit by (?:a |the )?(?:car|bus|vehicle|truck|van)|crash\w*|accident|almost hit|"
        r"struck by|rear-?ended|into the street|into traffic|crosswalk|"
        r"(?:stole|steal\w*) (?:\w+ ){0,2}car|(?:flipped|rolled|wrecked|totaled) (?:his|her|"
        r"their|the|a) (?:car|truck|suv|jeep)",
    ),
}

# Harmless senses of safety words, blanked before the safety rules read a text: "shot a
# video", "killing it", "a fire drill", "bombed the test", "my phone was dead".
HARMLESS_SENSES = (
    r"fire (?:drills?|lanes?)|fired up|up a storm|shoot\w* (?:dice|craps)|"
    r"fire (?:safety|prevention) (?:presentation|assembly|lesson|week|talk|video|training)|"
    # Hyperbole about schoolwork, not a threat ("this class is killing me", "the test was
    # murder", "i'm dead 💀" laughing): the subject or what follows says so.
    r"(?:class|period|test|quiz|exam|homework|assignment|essay|lesson|project|food|attitude|"
    r"schedule) (?:is|was|are|were|'s) (?:literally |really |so )?(?:killing|murder\w*) "
    r"(?:me|him|her|us|them)|you'?re killing me|"
    r"(?:test|quiz|exam|final|homework|assignment|essay|class) (?:is|was) ['\"]?murder\b|"
    r"(?:kill|murder|crush) (?:this|the|that|my|his|her) (?:presentation|test|quiz|exam|final|"
    r"speech|essay|solo|game|interview)|"
    r"(?:i'?m|im) (?:so |literally )?dead['\"]? (?:💀|laugh\w*|lol|lmao|with the skull)|"
    r"dead tired|dead to me|over my dead body|shooting games?|juegos? de disparos|"
    r"(?:making|make|made|makes) beats|"
    # the sense only, never the danger: "fell asleep at the wheel", "heard explosion sounds",
    # "he tried to kick me"
    r"fell asleep(?! at the wheel| (?:while |at the )?driving)|"
    r"(?:making|make|makes|made|doing) explosion (?:sounds?|noises?|sound effects)|"
    r"kick me['\"]? (?:sign|note|paper|sticker)|['\"]kick me['\"]|"
    r"(?:shot|shoots?|shooting) (?:a |the |some |his |her |their )?(?:videos?|pics?|pictures?|"
    r"photos?|selfies?|tiktoks?|clips?|hoops|baskets|free throws|the ball|threes)|"
    r"(?:shot|shoots?|shooting) (?:\w+ ){0,2}(?:spit ?balls?|rubber bands?|nerf darts?|"
    r"paper ?clips?|paper balls?|foam darts?)|dead tired|"
    r"photo ?shoots?|(?:kill|kills|killing|killed) it|killing (?:me|us) with|"
    r"(?:dying|died) (?:to|of (?:boredom|laughter|embarrassment)|laughing)|"
    r"(?:phone|battery|chromebook|laptop|ipad|tablet)(?:'s)? (?:is |was |went |got )?dead|"
    r"dead (?:battery|phone)|deadlines?|"
    r"bombed (?:the|his|her|a|my|that|this) (?:\w+ )?(?:test|quiz|exam|final|presentation)"
    r"(?! (?:center|room|site|building))|photo ?bomb\w*|bath bombs?|stink ?bombs?|"
    r"(?:blew|blow\w*) up (?:the |my |his |her |our )?(?:group ?chat|chat|phone)|"
    r"(?:guns?|pistols?|rifles?|knives|knife|weapons?|bombs?|grenades?) printed on|"
    r"ski masks? (?:on |off )?in (?:class|the classroom|homeroom|[1-8](?:st|nd|rd|th))|"
    r"fak\w* (?:being |a )?(?:sick|ill|hurt|injur\w*|stomach ?ache|headache|seizure)|"
    r"pretend\w* to be (?:sick|hurt|ill)|lied about being sick|"
    r"(?:signed out|called in|went home|stayed home|checked out) sick|"
    r"(?:can|could|would|will|please) (?:\w+ ){0,2}(?:grab|get) (?:the|this|that|a) "
    r"(?:kid|student)|"
    r"shot (?:\w+ ){0,2}(?:a |the )?(?:dirty |mean |nasty |weird )?looks?|"
    r"(?:shirts?|t-shirts?|hoodies?|hats?|jackets?|sweatshirts?|tees?) with (?:a |an )?(?:\w+ )?"
    r"(?:guns?|pistols?|rifles?|knife|knives|weapons?|bombs?|grenades?|skulls?) (?:on it|printed|"
    r"logo|graphic|design|picture)|"
    r"knock\w* on (?:\w+ ){0,2}doors? and (?:run\w*|ran) (?:away|off)|"
    # a threat of a consequence, not of harm: "threatened to tell his mom", "me amenazó con
    # acusarme con su papá", "amenaza de lluvia"
    r"threat\w* to (?:tell (?:his|her|their|my|the) (?:mom|dad|mother|father|parents?|grandma|"
    r"grandpa|teacher|principal|coach)|report (?:me|us|him|her) to|quit|call (?:his|her|my) "
    r"(?:mom|dad|parents?))|"
    r"amenaz\w* con (?:decir\w*|acusar\w*|bajar\w* (?:la )?calificacion|reportes?|"
    r"dejar\w* sin recreo|quitar\w* (?:el )?(?:celular|telefono|recreo))|amenaza de lluvia|"
    # a paper-ball or water fight, a rubber band, a gun drawn on a shirt or made with a hand
    r"pelea de (?:bolitas de papel|bolas de papel|globos|comida|almohadas|agua|nieve|"
    r"bolas de nieve)|dispar\w* (?:una |unas )?ligas?|ligas? de hule|"
    r"pistola (?:dibujada|estampada|impresa)|en forma de pistola|"
    # Spanish "pegar" is also to stick; a pass or a privilege abused is not a person
    r"peg(?:o|a|an|aron|ando) (?:\w+ ){0,2}(?:chicles?|stickers?|calcomanias?|papel(?:es|itos)?|"
    r"letreros?|cinta|notas?)|(?:hall |bathroom |restroom )?pass abuse|"
    r"hurt (?:his |her |their |my |the teacher's |someone's )?feelings|feelings (?:were |are |got |"
    r"get )?hurt|(?:it'?s|its|is) (?:gonna be |going to be )?a fight every (?:day|morning|"
    r"afternoon|class|period|time)|(?:water )?balloon fights?|fake fights?|"
    r"(?:pizza|food|lunch|milk|time|money|battery|ink|paper|snacks?|chips|supplies) ran out|"
    r"abus\w* (?:of |de )?(?:the |his |her |su |el )?(?:hall |bathroom )?(?:pass|pase|privileges?)"
)

# A safety word right after one of these does not count: "no one hurt", "no weapon found".
_NEGATION = re.compile(
    r"\b(?:no|not|nobody|never|without|nothing|n't|no one|none|nadie|nada|sin(?! querer)|ni|"
    r"ningun[oa]?|"
    r"nunca)\b(?:'s)?(?:\s+\w+){0,2}\s*$",
    re.IGNORECASE,
)

# A fight told, after it is named, as no fight: "fighting over the window seat, just arguing",
# "nobody touched anyone", "la pelea fue de puras palabras". The violence sign before it does not
# count unless the text turns after it ("... now they're swinging"); a weapon, an injury or a
# threat named in the text is a sign of its own.
_NO_CONTACT = re.compile(
    r"\b(?:(?:no ?one|nobody|no-one) (?:\w+ )?(?:touched (?:any(?:one|body)|each other)|"
    r"swung|threw a punch|laid a hand)|"
    r"not physical(?:ly)?|nothing physical|just (?:words|arguing|yelling|posturing|horseplay)|"
    r"words only|only words|"
    r"pure horseplay|no (?:real |actual )?fight(?! yet)|no fight (?:actually )?happened|"
    r"(?:de )?puras palabras|puro juego|no hubo (?:pelea|golpes)|nadie se peg[oó]|"
    r"no lleg[oó] a (?:pelea|los golpes)|de palabra|solo (?:gritos|palabras)|ninguna agresion|"
    r"sin agresion|no (?:se puso violent[oa]|agredio a nadie))\b"
)
_TURN = re.compile(r"\b(?:now|ahora)\b")


# A safety word put in scare quotes, first in them: "he's been 'missing' from 3rd block", "the
# 'fight club' was thumb wrestling", "called in 'sick'". Threats, weapons and the other topics in
# quotes are what someone wrote or said ("wrote 'die' on the wall"), and still count, as does a
# word someone is reported to have used ("mom says she was 'kidnapped'").
_SCARE_QUOTED = frozenset(
    {"violence", "missing", "intruder", "medical", "fire and hazards", "drugs"}
)
_OPENING = frozenset("'\"‘“")
_CLOSING = re.compile(r"(?:\s\w+){0,2}['\"’”](?!\w)")
_REPORTED = re.compile(
    r"\b(?:says?|said|saying|claim\w*|told|tells|report\w*|dice|dijo|cuenta)\b(?:\s+\S+){0,4}\s*$"
)


def _in_scare_quotes(text: str, start: int, end: int) -> bool:
    return (
        start > 0
        and text[start - 1] in _OPENING
        and (start == 1 or not text[start - 2].isalnum())
        and _CLOSING.match(text, end) is not None
        and not _REPORTED.search(text[: start - 1][-40:])
    )


def _told_as_no_fight(text: str, end: int) -> bool:
    after = _NO_CONTACT.search(text, end)
    return after is not None and not _TURN.search(text, after.end())


def _lower(pattern: str) -> str:
    """`pattern` for lower-case text: its letters lowered, its escapes (\\W, \\b) kept.
    Lower-cased text matched without re.IGNORECASE gives the same matches about 3x faster."""
    return re.sub(
        r"\\.|[^\\]+", lambda part: part[0] if part[0][0] == "\\" else part[0].lower(), pattern
    )


def _compile(rules: dict[str, tuple[str, ...]]) -> list[tuple[str, re.Pattern[str]]]:
    # Every rule starts with a word character: "\b(?=\w)" tries the rules at word starts only,
    # not after a word's last letter (same matches, about a fifth faster).
    return [
        (
            topic,
            re.compile(_lower(r"\b(?=\w)(?:" + "|".join(f"(?:{p})" for p in patterns) + r")\b")),
        )
        for topic, patterns in rules.items()
    ]


# Notes about the school's programme and its rules, not about a student's conduct: a
# prevention talk, a dress-up day, a question about a policy, a notice sent home. Blanked before
# the discipline rules read a text (a discipline word elsewhere in it still counts).
NOT_CONDUCT = (
    r"(?:vaping|vape|drug|bullying|substance|tobacco|fire|gang) (?:prevention|awareness|"
    r"education) (?:\w+ )?(?:presentations?|assembl(?:y|ies)|week|lessons?|programs?|class|"
    r"talks?|videos?|night|flyers?)|"
    r"(?:pajama|twin|crazy hair|hat|jersey|spirit|dress[- ]up) (?:day|week)|spirit week|"
    r"(?:ask\w*|question\w*|wonder\w*|wants? to know|call\w* to ask) (?:\w+ ){0,4}?(?:about|what|"
    r"whether|if|how) (?:\w+ ){0,3}?(?:the )?(?:phone|dress code|attendance|tardy|uniform|"
    r"cell phone|device)? ?(?:policy|policies|dress code|rules?)|"
    r"(?:notices?|letters?|forms?|slips?|flyers?|reminders?|report cards?) (?:\w+ ){0,4}?"
    r"(?:was |were |are |is )?sent home"
)


def _phrases(pattern: str) -> re.Pattern[str]:
    """Phrases blanked before the rules read a text, tried at word starts like the rules."""
    return re.compile(_lower(rf"\b(?=\w)(?:{pattern})\b"))


_NOT_CONDUCT = _phrases(NOT_CONDUCT)
_DISCIPLINE = _compile(DISCIPLINE_RULES)
_SAFETY = _compile(SAFETY_RULES)
_HARMLESS = _phrases(HARMLESS_SENSES)


@dataclass(frozen=True)
class Sign:
    """One rule that matched: its topic and the words it matched."""

    topic: str
    words: str


@dataclass(frozen=True)
class Verdict:
    """Why a text is or is not refused: the first discipline and safety signs found, and the
    guard's decision (`combine`). A refusal the model made alone has the topic `MODEL_TOPIC`."""

    discipline: Sign | None
    safety: Sign | None
    refused: bool = False


# The models' thresholds (decision 0023): the most discipline texts refused less five per
# refused safety text and two per refused neutral note. A text no rule reads is refused when the
# discipline model's score is at least REFUSE_ALONE and no safety sign is found (chosen by
# leave-one-file-out cross-validation, tools/discipline_model.py cv). A text a discipline rule
# reads and no safety sign is let through when the safety model's score is at least
# LET_THROUGH: the safety signs miss dangers told without their words ("a man nobody
# recognizes", "seizing on the floor", "burn marks on her arms"). LET_THROUGH is chosen on a
# blind set (holdout5), not out of fold: the rules were written from the training files, so
# their safety refusals there (0.4% out of fold) understate unseen text's (2.8% on holdout5).
REFUSE_ALONE = 0.8
LET_THROUGH = 0.6
MODEL_TOPIC = "reads as discipline"
# The encoder's thresholds (decision 0024): a text with no safety sign is refused when the
# encoder is at least REFUSE sure it is discipline, or REFUSE_SIGNED when a rule names a
# discipline topic in it (vaping, dress code...); a text with signs only when their words are
# all OVERRULABLE and the encoder is at least OVERRULE sure. OVERRULABLE are the signs' words
# found in at least two discipline training texts and making up at least a fifth of the
# labelled texts they are found in ("police" asked to talk about a hat, "stealing" pencils,
# "sick" as an excuse): a word mostly of danger ("fight", "gun", "fell", "not breathing", "kill
# himself") is never overruled, as out of fold the encoder was 0.99 sure of "STUDENT NOT
# BREATHING IN GYM!!!" as discipline. Chosen out of fold (session 22: 4 folds by file over the
# 17,760 training texts, tools/discipline_encoder `run.py choose`) for the most discipline texts
# refused less five per refused safety text and two per refused neutral note: 89.4% of
# discipline, 0.7% of safety, 2.1% of neutral notes refused (one threshold for every text
# without a sign, 0.93: 87.5 / 0.6 / 1.8%).
REFUSE = 0.95
REFUSE_SIGNED = 0.5
OVERRULE = 0.93
_OVERRULABLE_WORDS = (
    "armed|attacked|attacking|axe|beat|blow up|bolted|bomba|chasing|"
    "climbed out the classroom window|climbing out the window|dead|death|destroying|disparos|"
    "dog|drug|dying|evacuation|explode|exploded|faint|falling|fired|flooded|flooding|fuego|"
    "grab him|grab them|hiding from|hit me|hostage|inappropriate pictures|incendio|kicked him|"
    "kicked him out|killing|kindergartener|kindergartners|lap|lockdown|mask on|massacre|"
    "medical|missing|murder|never came|no food|not allowed on campus|out of control|pistolas|"
    "poison|police|ran away|ran off|ran out|refuse to leave|refused to leave|refuses to leave|"
    "refusing to leave|replica|riot|robbery|roof|shooting|shot|sick|ski mask|"
    "slammed the door on her|smoke detector|spilled|spilling|"
    "standing up and yelling out the window|stealing|stole|stomping|threat|threaten|"
    "threw his water bottle|throwing rocks|throwing them at other kids|tocando|tornado|"
    "wandered off|weapon|won't leave|wont leave|wont wake"
)
OVERRULABLE = frozenset(_OVERRULABLE_WORDS.split("|"))
# The model refuses alone only a text that names whom it is about (a student, he, she, they, a
# class...): 97% of the labelled discipline texts do, 43% of the neutral notes, and none of the
# strings of code and messages the model read as discipline ("To `targets`, or forward to every
# app's latest migration": 0.90, its letter pieces "late" and "est"). Not tuned on any file.
_SUBJECT = re.compile(
    r"\b(?:students?|kids?|child|children|boys?|girls?|he|she|hes|shes|him|her|his|hers|they|"
    r"them|their|theyre|someone|somebody|anyone|class|classes|teens?|guys?|dude|bro|bruh|"
    r"freshm[ae]n|sophomores?|juniors?|seniors?|\d+(?:st|nd|rd|th) graders?|graders?|el|ella|"
    r"ellos|estudiantes?|nino|nina|ninos|ninas|alumnos?|chicos?|chicas?|muchachos?|"
    r"alumnas?|muchachas?|hij[oa]s?|chav[oa]s?|jovenes|joven|companer[oa]s?|"
    r"sons?|daughters?|kiddos?|pupils?|"
    r"[a-z]+ (?:keeps|won'?t|refuses))\b"
)


def names_a_subject(text: str) -> bool:
    """Does `text` say whom it is about (the condition for the model to refuse alone)?"""
    return _SUBJECT.search(_normal(text)) is not None


def combine(
    *,
    discipline: bool,
    safety: bool,
    score: float | None,
    danger: float | None,
    refuse_alone: float,
    let_through: float,
) -> bool:
    """Refused? The rules' signs (`discipline`, `safety`), the discipline model's `score` (None
    when it may not speak: a text that names nobody) and the safety model's `danger` (None when
    not asked)."""
    if safety:
        return False
    if discipline:
        return danger is None or danger < let_through
    return score is not None and score >= refuse_alone


def _plain(match: re.Match[str]) -> str:
    word = match.group(0)
    return _SPELLING.get(word) or word.rstrip("'")[:-2] + "ing"


def _letters(match: re.Match[str]) -> str:
    """A run of three or more of a letter (emphasis) as English would double it or not."""
    letter = match.group(1)
    at_end = match.end() == len(match.string) or not match.string[match.end()].isalpha()
    return letter * 2 if letter in ("lsfz" if at_end else "eolsfptmdnrcgbz") else letter


@functools.lru_cache(maxsize=64)  # a verdict reads each text twice (discipline, then safety)
def _normal(text: str) -> str:
    """The compiled rules' input: lower case, no accents, plain quotes, one space between
    words, emphasis letters collapsed ("sooo"), slang, abbreviations and common misspellings
    written out ("pls" → "please", "w/o" → "without", "vapeing" → "vaping", "walkin" →
    "walking")."""
    text = text.replace("_", " ").replace("’", "'").lower()
    if not text.isascii():
        text = "".join(
            c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
        )
    text = _EMPHASIS.sub(_letters, text)
    return " ".join(_SLANG.sub(_plain, text).split())


def _found(
    rules: list[tuple[str, re.Pattern[str]]], text: str, *, negatable: bool
) -> Iterator[Sign]:
    for topic, pattern in rules:
        for found in pattern.finditer(text):
            if negatable and _NEGATION.search(text[: found.start()][-40:]):
                continue
            if negatable and topic == "violence" and _told_as_no_fight(text, found.end()):
                continue
            if (
                negatable
                and topic in _SCARE_QUOTED
                and _in_scare_quotes(text, found.start(), found.end())
            ):
                continue
            yield Sign(topic, found.group(0))


def _first(rules: list[tuple[str, re.Pattern[str]]], text: str, *, negatable: bool) -> Sign | None:
    return next(_found(rules, text, negatable=negatable), None)


def discipline_sign(text: str) -> Sign | None:
    """The first discipline topic named in `text`, ignoring any safety sign."""
    return _first(_DISCIPLINE, _NOT_CONDUCT.sub(" - ", _normal(text)), negatable=False)


def safety_sign(text: str) -> Sign | None:
    """The first (not negated) safety sign in `text`, harmless senses left out."""
    return _first(_SAFETY, _HARMLESS.sub(" - ", _normal(text)), negatable=True)


def safety_signs(text: str) -> list[Sign]:
    """Every (not negated) safety sign in `text`, by topic, harmless senses left out."""
    return list(_found(_SAFETY, _HARMLESS.sub(" - ", _normal(text)), negatable=True))


def overrulable(signs: list[Sign]) -> bool:
    """May the encoder overrule these safety signs: are all their words OVERRULABLE?"""
    return all(sign.words in OVERRULABLE for sign in signs)


def verdict(text: str, *, encoder: bool = True) -> Verdict:
    """Classify a text: the `encoder` (decision 0024) refuses one with no safety sign when at
    least REFUSE sure it is discipline (REFUSE_SIGNED when a rule names a discipline topic), and
    one whose signs are all OVERRULABLE when at least OVERRULE sure; any other sign lets the
    text through. Without the encoder the rules and the linear models decide (`rules_verdict`,
    decision 0023: the guard's fallback in a surge)."""
    if not encoder:
        return rules_verdict(text)
    found = discipline_sign(text)
    signs = safety_signs(text)  # one pass: the first names the verdict, all decide the overrule
    safety = signs[0] if signs else None
    if not text.strip() or (signs and not overrulable(signs)):
        return Verdict(found, safety)
    reading = discipline_encoder.read(text)
    if safety is not None and not reading.whole:
        return Verdict(found, safety)  # the sign may lie past what the encoder read
    threshold = REFUSE if found is None else REFUSE_SIGNED
    if reading.discipline < (threshold if safety is None else OVERRULE):
        return Verdict(found, safety)
    return Verdict(found or Sign(MODEL_TOPIC, ""), safety, refused=True)


def rules_verdict(text: str) -> Verdict:
    """Classify a text by the rules' signs and the linear models (`discipline_model`) where
    they can change the decision; a safety sign always lets the text through."""
    found = discipline_sign(text)
    if found is not None:
        safety = safety_sign(text)
        if safety is not None:
            return Verdict(found, safety)
        danger = safety_score_normal(_normal(text))
        return Verdict(found, None, refused=_decide(True, None, danger))
    if not names_a_subject(text):
        return Verdict(None, None)  # the model refuses alone only a text that names someone
    score = score_normal(_normal(text))
    if not _decide(False, score, None):  # not refused even with no safety sign
        return Verdict(None, None)
    safety = safety_sign(text)
    if safety is not None:
        return Verdict(None, safety)
    return Verdict(Sign(MODEL_TOPIC, top_words(_normal(text))), None, refused=True)


def _decide(discipline: bool, score: float | None, danger: float | None) -> bool:
    return combine(
        discipline=discipline,
        safety=False,
        score=score,
        danger=danger,
        refuse_alone=REFUSE_ALONE,
        let_through=LET_THROUGH,
    )
