package summary

// DefaultName is the name of the built-in template.
const DefaultName = "党建工作总结（默认模板）"

// Default is the built-in template, modelled on the two seed summaries: the
// sections 思想建设, 组织建设, 作风建设, 党风廉政建设, 存在的问题, 下一步工作,
// every figure named by its indicator. Committee staff copy and edit it.
const Default = `# {{组织}}{{期间}}党建工作总结
{{期间}}，{{组织}}以习近平新时代中国特色社会主义思想为指导，深入贯彻党的二十大关于党的建设的部署，聚焦“锻造忠诚干净担当政法铁军”目标，推动党建工作与政法业务深度融合。现将工作情况总结如下：
## 一、以思想建设为根基，筑牢政法队伍政治忠诚
### （一）构建常态化学习机制，提升理论素养
严格落实集中学习、业务课堂和自学制度，共开展学习活动{{?learning.events}}，{{learning.events|同比}}。其中组织集中学习{{?events.held.study_session}}；专题研讨{{?events.held.seminar}}；专题读书班{{?events.held.reading_class}}；辅导报告会{{?events.held.lecture_report}}；邀请授课{{?learning.speaker_times}}。覆盖党员干部{{?learning.person_times}}，{{learning.person_times|同比}}，学习覆盖率达{{learning.coverage}}，{{learning.coverage|同比}}。补课{{?learning.made_up}}，确保学习不漏一人。人均学时{{?learning.hours_per_capita}}，{{learning.hours_per_capita|同比}}。全体干部职工人均完成学习笔记{{?learning.notes_per_capita}}，{{learning.notes_per_capita|同比}}；撰写心得体会人均{{?learning.reflections_per_capita}}，{{learning.reflections_per_capita|同比}}。学时达标率{{?learning.hours_met}}。
### （二）创新主题实践载体，深化思想认同
开展主题党日活动{{?events.held.theme_day}}，{{events.held.theme_day|同比}}；开展现场教学{{?events.held.field_teaching}}；走访慰问{{?events.held.visit}}，走访“光荣在党50年”党员，现有“光荣在党50年”党员{{?people.honoured}}。
## 二、以组织建设为核心，提升基层党组织战斗力
### （一）健全组织体系，夯实战斗堡垒
目前共有党员{{people.members}}，{{people.members|同比}}；党支部{{?org.branches}}。调整党支部{{?org.branches_adjusted}}，选优配强党支部书记{{?org.secretaries_appointed}}，支委成员{{?org.committee_members}}。配备党建书籍{{?reported.books}}。严格落实“三会一课”制度，召开支部党员大会{{?events.held.branch_congress}}、支委会{{?events.held.branch_committee}}、党小组会{{?events.held.group_meeting}}，讲党课{{?events.held.party_lecture}}，出勤率{{?events.attendance}}。
### （二）优化党员管理，激发队伍活力
确定入党积极分子{{?people.new_activists}}；确定发展对象{{?people.new_candidates}}；吸收预备党员{{?people.new_probationary}}；预备党员转正{{?people.new_full}}。35岁以下党员占比{{people.under35_share}}，{{people.under35_share|同比}}。
## 三、以作风建设为抓手，打造纪律严明政法队伍
召开书记办公会{{?events.held.secretary_office}}，集体决策事项{{?events.decisions}}，无“一言堂”情况发生。公文平均办结时限{{?reported.doc_days}}，{{reported.doc_days|同比}}；公务接待费用{{?reported.reception_cost}}，{{reported.reception_cost|同比}}；节约资金{{?reported.funds_saved}}。工作任务完成率{{?reported.task_completion}}，{{reported.task_completion|同比}}。
## 四、以党风廉政建设为保障，筑牢拒腐防变思想防线
开展廉政谈话{{?events.held.integrity_talk}}，{{events.held.integrity_talk|同比}}；组织警示教育{{?events.held.warning_education}}，{{events.held.warning_education|同比}}。通过政法公开平台公开案件流程信息{{?reported.disclosed}}。
{{表格：learning.events、learning.person_times、learning.coverage、people.members、people.under35_share}}
## 五、存在的主要问题
{{存在的问题}}
## 六、下一步工作
一是持续推动理论学习常态化制度化，提高学习覆盖率和学习质量。二是严格落实“三会一课”等组织生活制度，对未按期召开的会议逐一督促整改。三是深化党建与业务融合，以高质量党建引领政法工作高质量发展。
`
