"""Chinese: cues of procedure, stance, recommendation and practice, and the candidate rules.

Chinese has no spaces between words: the cues are read as character strings, and a candidate's
length counts two characters as one word (``cues.count_words``)."""
from rapporteur.lang.cues import CueRules

CODE = "zh"

RULES = CueRules(
    code=CODE,
    procedural=(
        r"^\W*(?:主席先生|主席女士|女士们、?先生们|各位代表|尊敬的|阁下)[^。！？]{0,40}[，,：:。！]?\s*$"
        r"|^\W*(?:首先，?|请允许我|我谨|我们谨|我愿|我要)?(?:\S{0,6})?(?:祝贺|感谢|表示感谢|致谢|致以|表示祝贺)"
        r"(?![^。]*(?:应|必须|呼吁|敦促|反对|拒绝))"
        r"|^\W*(?:谢谢|谢谢主席|早上好|下午好)\S{0,40}$"
        r"|^\W*(?:我|我们)(?:很|非常)?荣幸(?:地)?(?:在此)?(?:发言|讲话)"
        r"|^\W*(?:现在)?(?:我)?请\S{1,20}发言"),
    support=r"(?:欢迎|支持|赞同|赞赏|拥护|致力于|承诺|将签署|将通过|将落实)",
    oppose=(r"(?:反对|拒绝|不会签署|不签署|不能接受|无法接受|不能支持|无法支持|不支持|不接受|不参加|不会参加|不加入|"
            r"退出|脱离)"),
    reservation=r"(?:保留意见|有所保留|没有共识|缺乏共识|不具有?法律约束力|主权权利|前提是|条件是|以\S{1,10}为代价|有争议|分歧)",
    recommendation=r"(?:应当|应该|必须|呼吁|敦促|建议|需要|务必|亟需|有必要|至关重要)",
    practice=(r"(?:(?:我国|我们|中国|本国政府)(?:已经|已|先后|还)?(?:建立|制定|通过|启动|批准|设立|实施|出台|颁布|接收|安置)"
              r"|我国的?(?:国家)?(?:计划|战略|政策|法律))"),
    negation=r"(?:不|没有|未|并非|绝不)",
    bound=r"^\W*(?:我|我们|我国|本国|敝国)|(?:我国|我国政府|我国代表团|本国政府|本届会议|本大会|主席先生)",
    inclusive=r"^\W*我们(?:必须|应当|应该|需要|不能)",
    dependent=r"^\W*(?:这|那|这些|那些|它|他|她|他们|她们|它们|而且|但是|但|或者|因此|所以|此外|然而|同时|最后|其)",
    question=r"[?？]\s*$",
)
