"""Spanish: cues of procedure, stance, recommendation and practice, and the candidate rules."""
from rapporteur.lang.cues import CueRules

CODE = "es"
_WE = r"(?:nosotros|mi (?:país|gobierno|delegación)|nuestro (?:país|gobierno)|nuestra delegación)"

RULES = CueRules(
    code=CODE,
    procedural=(
        r"^\W*(?:señor|señora|señoras|señores|excelencias?|estimad[oa]s? colegas|distinguid[oa]s?)\b[^.!?]{0,80}[,.:!]?\s*$"
        r"|^\W*(?:(?:quisiera|quisiéramos|deseo|deseamos|me gustaría|permítame|permítanme)\s+(?:\w+\s+){0,2}?)?"
        r"(?:felicit\w*|agradec\w*|dar las gracias|rendir homenaje)\b"
        r"|^\W*(?:gracias|muchas gracias|buenos días|buenas tardes)\b.{0,80}$"
        r"|^\W*(?:tengo|tenemos) el honor de (?:dirigirme|intervenir|hacer uso de la palabra)"
        r"|^\W*(?:doy|damos|cedo) la palabra\b"),
    support=(r"\b(?:acogemos con (?:beneplácito|satisfacción)|celebramos|apoyamos|apoya|respaldamos|respalda|"
             r"suscribimos|nos sumamos|(?:plenamente |firmemente )?comprometid[oa]s con|nos comprometemos|"
             r"firmaremos|adoptaremos|aplicaremos)\b"),
    oppose=(rf"\b(?:(?:{_WE}\s+)?no\s+(?:\w+\s+){{0,2}}?(?:podemos|puede|firmaremos|firmará|apoyaremos|apoyará|"
            r"participaremos|participará|nos adheriremos|aceptamos|aceptaremos|aceptará|suscribiremos)\b|rechazamos|rechaza\b|"
            r"nos oponemos|se opone|nos desvinculamos|nos retiramos|se retira de)"),
    reservation=(r"\b(?:reservas?|no hay consenso|no es jurídicamente vinculante|jurídicamente no vinculante|"
                 r"derecho soberano (?:de \w+ )?a (?:decidir|determinar|definir)|siempre (?:y cuando|que)|a condición de que|"
                 r"con la condición de|en detrimento de|a expensas de|controvert\w*|polémic\w*)\b"),
    recommendation=(r"\b(?:deb(?:e|en|emos|ería|erían|eríamos)|hay que|es (?:esencial|indispensable|necesario|imperativo|"
                    r"crucial|urgente|importante|fundamental) (?:que|)|(?:hacemos|hace) un llamamiento|exhort\w*|insta\w*|"
                    r"invit(?:amos|a) \w+(?: \w+){0,5} a|alent\w*|recomend\w*|propon(?:emos|e))\b"),
    practice=(r"\b(?:hemos|mi (?:país|gobierno) ha|\w+ ha)\s+(?:\w+\s+)?(?:establecido|puesto en marcha|adoptado|lanzado|"
              r"creado|ratificado|acogido|elaborado|aprobado|regularizado|reasentado|firmado|abierto|construido|"
              r"implementado|aplicado)\b|\bnuestr[oa] (?:nuev[oa] )?(?:programa|estrategia|política|plan|ley|iniciativa) nacional\b"),
    negation=r"\b(?:no|nunca|jamás|ni)\b",
    introduction=(r"^\W*(?:hablo|hablamos|intervengo|intervenimos)\s+(?:hoy\s+|aquí\s+)?(?:en nombre de|en (?:mi|nuestra|su) "
                  r"calidad de|como)\b"
                  r"|^\W*(?:nuestra|nuestro|esta|este|la|el)\s+(?:\w+\s+){0,3}?(?:red|organización|coalición|alianza|federación|"
                  r"asociación|plataforma|centro|instituto|foro|colectivo|ciudad|alcaldía|municipio)\b.{0,80}?\b(?:agrupa|reúne|"
                  r"representa|está (?:formada|formado|integrada|integrado)|fue (?:fundada|fundado|creada|creado)|trabaja desde)\b"
                  r"|^\W*somos (?:un|una)\s+(?:\w+\s+){0,2}?(?:red|organización|coalición|alianza|federación|asociación|plataforma|"
                  r"centro|instituto|colectivo)\b"
                  r"|\b(?:agradece|agradecemos|agradezco|celebra|celebramos|valora|valoramos)\s+(?:la|esta)\s+(?:oportunidad|invitación)\b"
                  r"|\b(?:presenta|presentamos|somete|sometemos)\s+(?:las|sus|nuestras)\s+(?:siguientes\s+)?(?:observaciones|"
                  r"comentarios|recomendaciones|contribuciones)"),
    bound=(r"^\W*(?:yo|nosotros|nosotras|mi|mis|nuestro|nuestra|nuestros|nuestras)\b|\b(?:mi país|mi gobierno|mi delegación|"
           r"nuestro país|nuestro gobierno|nuestra delegación|esta asamblea|este período de sesiones|señor presidente)\b"),
    inclusive=r"^\W*(?:nosotros )?(?:debemos|no debemos|deberíamos|no podemos|tenemos que|necesitamos)\b",
    dependent=(r"^\W*(?:esto|eso|ello|este|esta|estos|estas|ese|esa|él|ella|ellos|ellas|y|pero|o|pues|que|cual|cuyo|"
               r"así|también|sin embargo|además|por lo tanto|finalmente|luego|su|sus)\b"),
)
