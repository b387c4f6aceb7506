"""French: cues of procedure, stance, recommendation and practice, and the candidate rules."""
from rapporteur.lang.cues import CueRules

CODE = "fr"
_WE = r"(?:nous|je|j['’]|mon (?:pays|gouvernement)|ma délégation|notre (?:pays|gouvernement|délégation))"

RULES = CueRules(
    code=CODE,
    procedural=(
        r"^\W*(?:monsieur|madame|mesdames|messieurs|excellences?|chers? collègues|distingués?)\b[^.!?]{0,80}[,.:!]?\s*$"
        r"|^\W*(?:(?:je|nous) (?:tiens|tenons|voudrais|voudrions|souhaite|souhaitons|aimerais) (?:\w+ )?(?:à |d['’]abord )?|"
        r"(?:permettez|qu['’]il me soit permis)-?moi (?:tout d['’]abord )?de |(?:je|nous) )"
        r"(?:vous )?(?:remercie\w*|félicit\w*|saluer? (?:la présidence|le président|la présidente)|rendre hommage)"
        r"|^\W*(?:merci|je vous remercie|bonjour|bonsoir)\b.{0,80}$"
        r"|^\W*(?:j['’]ai|nous avons) l['’]honneur (?:de|d['’])\s*(?:prendre la parole|m['’]adresser|intervenir)"
        r"|^\W*(?:je|nous) (?:donne|donnons|rends|cède) la parole\b"),
    support=(r"\b(?:(?:nous )?(?:nous )?félicitons de|saluons|salue|soutenons|soutient|appuyons|appuie|approuvons|"
             r"souscrivons|accueillons (?:favorablement|avec satisfaction)|(?:pleinement |fermement )?(?:attachés?|engagés?) à|"
             r"nous nous engageons|signerons|adopterons|mettrons en œuvre)\b"),
    oppose=(rf"\b(?:{_WE}\s+(?:\w+\s+){{0,2}}?(?:ne|n['’])\s*(?:\w+\s+){{0,2}}?(?:pouvons|peut|peux|pourra|pourrons|"
            r"signerons|signera|soutiendrons|soutiendra|participerons|participera|adhérerons|accepterons|accepte|acceptons|"
            r"appuierons)\b|(?:nous )?rejetons|rejette\b|nous (?:nous )?opposons|s['’]oppose|nous dissocions|se dissocie|"
            r"(?:nous )?(?:nous )?retir(?:ons|e|erons) d[ue]s?)"),
    reservation=(r"\b(?:réserves?|pas de consensus|n['’]est pas juridiquement contraignant|juridiquement non contraignant|"
                 r"droit souverain (?:des? \w+ )?de (?:décider|déterminer|définir)|à condition que|pour autant que|"
                 r"sous réserve d[eu]|au détriment d[eu]s?|controvers\w*|divergences? de vues)\b"),
    recommendation=(r"\b(?:doi(?:t|vent|vons)|devr(?:ait|aient|ions|a|ont)|il faut|il (?:est|sera) (?:essentiel|indispensable|"
                    r"nécessaire|impératif|crucial|urgent|important) (?:de|d['’]|que)|appel(?:ons|le|lent) (?:à|les|tous)|"
                    r"exhort\w*|invit(?:ons|e) \w+(?: \w+){0,5} à|encourag\w*|recommand\w*|propos(?:ons|e))\b"),
    practice=(r"\b(?:nous avons|mon (?:pays|gouvernement) a|la \w+ a)\s+(?:\w+\s+)?(?:mis en place|adopté|lancé|créé|établi|"
              r"ratifié|accueilli|élaboré|instauré|introduit|régularisé|réinstallé|signé|approuvé|ouvert|construit)\b"
              r"|\bnotre (?:nouveau |nouvelle )?(?:programme|stratégie|politique|plan|loi|initiative) nationale?\b"),
    negation=r"\b(?:ne|n['’]|pas|jamais|plus)\b",
    introduction=(r"^\W*(?:je|nous)\s+(?:parle|parlons|m['’]exprime|nous exprimons|interviens|intervenons|prends la parole)\s+"
                  r"(?:ici\s+|aujourd['’]hui\s+)?(?:au nom d|en (?:ma|notre|sa) qualité d|en tant que)"
                  r"|^\W*(?:notre|mon|ce|cette|le|la|l['’])\s*(?:\w+\s+){0,2}?(?:réseau|organisation|coalition|alliance|fédération|"
                  r"association|plateforme|centre|institut|forum|collectif|ville|mairie|partenariat)\b.{0,80}?\b(?:regroupe|rassemble|"
                  r"représente|réunit|fédère|compte|a été (?:fondée?|créée?)|travaille depuis)\b"
                  r"|^\W*nous sommes (?:un|une)\s+(?:\w+\s+){0,2}?(?:réseau|organisation|coalition|alliance|fédération|association|"
                  r"plateforme|centre|institut|collectif)\b"
                  r"|\b(?:se félicite|nous nous félicitons|remercie|remercions|salue|saluons)\s+de\s+(?:l['’]occasion|l['’]opportunité|"
                  r"cette occasion|cette opportunité)\b"
                  r"|\b(?:soumet|soumettons|présente|présentons)\s+(?:les|ses|nos)\s+(?:observations|commentaires|recommandations|"
                  r"contributions?)\s+suivant"),
    bound=(r"^\W*(?:je|j['’]|nous|notre|nos|mon|ma|mes)\b|\b(?:mon pays|mon gouvernement|ma délégation|notre pays|"
           r"notre gouvernement|notre délégation|cette assemblée|cette session|monsieur le président)\b"),
    inclusive=r"^\W*nous (?:devons|ne devons|devrions|ne pouvons pas|avons (?:tous )?besoin|sommes tous)\b",
    dependent=(r"^\W*(?:ce|cela|ceci|ça|il|elle|ils|elles|cette|ces|et|mais|ou|donc|qui|que|dont|car|ainsi|aussi|"
               r"cependant|toutefois|enfin|puis|lui|leur|leurs)\b"),
)
