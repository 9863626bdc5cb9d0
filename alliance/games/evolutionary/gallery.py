"""A gallery of published stability tables, checked, and the errata page generated from it.

Each entry in ``alliance/data/gallery/*.toml`` holds a paper's citation (only what was
read: fields that were not visible are left empty and listed under ``missing``) and its
stability table exactly as printed. :func:`check_entry` checks the table with the toolkit:
against itself (``check = "consistency"``, the corner-eigenvalue identity) when only the
table was read, or against the table the toolkit derives from the paper's payoff matrix
(``check = "derived"``, with a ``[game]`` section) when the matrix was read too. A game with
continuous strategies (``check = "first-order"``) has its printed first-order conditions and
best responses checked against its printed payoff functions (``[game]`` with ``variables``
and ``[[claim]]`` sections; ``notation = "latex"`` reads formulas as the page's LaTeX source,
through :func:`latex_to_text`). A paper whose results are worked numerical examples
(``check = "examples"``) has each printed number recomputed exactly from its printed model
(``[game]`` payoffs and ``[[example]]`` sections, see :func:`check_entry`).
:func:`errata_markdown` writes the errata page ``docs/errata.md`` from the checks
(``python -m alliance.games.evolutionary.gallery docs/errata.md``); a test fails when the
page and the checks disagree.

A ``[game]`` section gives ``players``, ``strategies`` (two per player, the first one
being the strategy whose share is the paper's coordinate) and ``payoffs``: one row per
pure profile, the strategy names followed by each player's payoff as printed, e.g.
``["lend", "repay", "r*L", "R - (1 + r)*L"]``. Payoff text is read only through the safe
parser (:func:`alliance.expr.parse_expression`); ``assumptions`` optionally states the
signs the paper declares (``{ r = "positive" }``; see :func:`alliance.expr.make_symbol`),
and ``aliases`` maps the table's names to the payoff names.

Optional fields keep the transcription as printed while letting the check read it:
``[table] spelling`` maps printed words the journal reader does not know to words it
does (a Chinese verdict such as ``稳定``, a name such as ``Δu2`` that the reader would take
for the product ``Δ·u2``); cells holding a lone ``+`` or ``−`` are a paper's sign columns
and are not compared (they follow from assumptions the check does not take in);
``[[table.typo]]`` names a printed cell the toolkit's parser refuses (a stray operator),
with how it is read instead: the check confirms that the printed cell cannot be read and
reports it as an error; ``[interior]`` gives a printed interior rest point (its
coordinates, determinant and trace, and ``[[interior.derivative]]`` printed derivatives
of a coordinate), checked against the derived replicator equations; ``[table]
not_checked`` lists what the paper prints that no check here covers.

References
----------
Friedman, D. (1991). Evolutionary games in economics. *Econometrica*, 59(3), 637–666.
"""

from __future__ import annotations

import re
import sys
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import sympy as sp

from alliance.errors import AllianceError, ModelFileError
from alliance.expr import make_symbol, parse_expression
from alliance.games.evolutionary.game import EvolutionaryGame
from alliance.games.evolutionary.journal import JournalReader
from alliance.games.evolutionary.results import TableCheck, point_text
from alliance.games.evolutionary.tables import check_consistency, read_journal_table
from alliance.games.normal_form import NormalFormGame

__all__ = [
    "GalleryEntry",
    "gallery",
    "check_entry",
    "errata_markdown",
    "NOT_IN_GALLERY",
    "SEARCHES",
    "SEARCH_PASSES",
    "searches_heading",
    "TARGET",
    "CHECKS",
    "latex_to_text",
]

#: Papers looked for and read in part, and why their tables are not in the gallery. Each
#: reason says what the stored public copy showed; nothing here was filled in from memory.
NOT_IN_GALLERY = (
    (
        "Mei, Zhang & Zhou (2024), The role of government in helping SMEs to access finance: "
        "an evolutionary game modeling and simulation approach, PLOS ONE (2024, no. 12), e0315941",
        "only the abstract and the start of the introduction were in the stored pages; no "
        "equilibrium, payoff or stability table was visible (no stored table page was found either)",
    ),
    (
        "Lv, Ma & Ding (2022), policy-oriented financing guarantee (local governments, "
        "guarantee institutions, banks), Frontiers in Psychology, doi 10.3389/fpsyg.2022.918481",
        "the stored page shows the payoff and stability tables with their mathematics stripped "
        "(empty cells): no number or expression could be read; a second stored copy (the PubMed "
        "record of PMC9253637 at www.ai-bt.com/si.php?db=pubmed&id=35800931) shows the same two "
        "tables with the same empty cells",
    ),
    (
        "Zhang, Mei, Zhang & Zhou (2023), cooperation of government, banks and guarantee "
        "institutions in financing guarantees for new agricultural entities, Frontiers in Physics, "
        "doi 10.3389/fphy.2023.1121374",
        "only the abstract and introduction were in the stored pages",
    ),
    (
        "Wang, Deng, Yang & Feng (2016), Analysis on evolutionary stability conditions for SMEs "
        "credit re-guarantee system, Chinese Journal of Management Science 24(7), 1-10",
        "only the abstract was in the stored pages",
    ),
    (
        "Complexity (2022), article 8286436, strategy choice of bankruptcy reorganization "
        "participants under government incentives, Table 3",
        "the stored table is cut off after eight rows (the government's strategy 0) and no "
        "order of its four eigenvalue columns makes any of the twelve pairs of corners that "
        "differ in one population opposite (λ2 is equal, not opposite, at corners that differ "
        "only in the second population), so the identity checked here does not apply as printed",
    ),
    (
        "Scientific Reports 14, 23875 (2024), doi 10.1038/s41598-024-74158-1, Tables 1 and 2 "
        "(three populations, eight corners), read at the PMC table pages of PMC11470944",
        "the tables were read in full, but Table 1's caption shows the game is played among "
        "supply and marketing cooperatives, sellers and farmers: it is not a credit game",
    ),
    (
        "Evolutionary Game Analysis of Three Players on Behavioural Strategy of P2P Lending "
        "Participants (regulatory authorities, P2P platforms, borrowers), Complexity (2021), "
        "article 7795016",
        "only the abstract and the start of the introduction were in the stored pages; no "
        "stored table page was found",
    ),
    (
        "Hu, Li, Tian & Cai (2022), Evolutionary Game of Small and Medium-Sized Enterprises' "
        "Accounts-Receivable Pledge Financing in the Supply Chain (banks, core enterprises, SMEs), "
        "Systems 10(1), 21, doi 10.3390/systems10010021",
        "the stored copies show the abstract and the model's assumptions with every symbol "
        "stripped; no payoff or stability table could be read",
    ),
    (
        "Jin, Zhang & Lei (2023), Evolutionary Game Analysis of the Impact of Big Data Credit "
        "Technology on the Credit Rationing of Micro and Small Enterprises, Journal of "
        "Theoretical and Applied Electronic Commerce Research 18(4), 1926-1954, "
        "doi 10.3390/jtaer18040097",
        "only the front matter and abstract were in the stored pages",
    ),
    (
        "Supply-chain-finance evolutionary games in MDPI journals: J. Theor. Appl. Electron. "
        "Commer. Res. 17(4) 67 (2022, doi 10.3390/jtaer17040067) and 19(2) 79 (2024, doi "
        "10.3390/jtaer19020079); Sustainability 15(4) 3084 (2023, doi 10.3390/su15043084) and "
        "15(4) 3788 (2023); Mathematics 12(8) 1243 (2024, doi 10.3390/math12081243) and 12(11) "
        "1764 (2024); Systems 12(7) 253 (2024, doi 10.3390/systems12070253)",
        "only the front matter, abstracts or section lists were in the stored pages",
    ),
    (
        "Lashgari, Bahiraie & Eshaghi Gordji (2022), A New Credit and Loan Lending Strategy and "
        "Credit in Banking Systems: An Evolutionary Game Theory Approach, Journal of Applied "
        "Mathematics, doi 10.1155/2022/3400319",
        "only the abstract was in the stored pages (it states in words that the game has two "
        "equilibria); no payoff matrix or stability table was visible",
    ),
    (
        "Villani & Biancardi (2023), An Evolutionary Game to Study Banks-Firms Relationship: "
        "Monitoring Intensity and Private Benefit, Computational Economics 61(3), 1075-1093, "
        "doi 10.1007/s10614-019-09937-4",
        "only the abstract was in the stored pages (the full text is behind a paywall)",
    ),
    (
        "Zhu, Zheng & Wei (2021), Three-Party Stochastic Evolutionary Game Analysis of Reward and "
        "Punishment Mechanism for Green Credit, Discrete Dynamics in Nature and Society, "
        "doi 10.1155/2021/5596015",
        "only the abstract and the start of the introduction were in the stored pages",
    ),
    (
        "Two Chinese-language table pages (mtoou.info): the payoff matrix of two P2P lending "
        "platforms (from an article on pairwise evolutionary games of P2P risk supervision) and "
        "the payoff matrix of rural financial institutions and farmers (from an article on rural "
        "credit systems and inclusive finance)",
        "the stored pages give each table's caption and parameter definitions, but the matrix "
        "itself is an image with no text, and the articles' authors and journals are not shown",
    ),
    (
        "Besley & Coate (1995), Group lending, repayment incentives and social collateral, "
        "Journal of Development Economics 46(1), 1-18",
        "the stored copy shows the first page only (abstract and opening of the introduction), "
        "and so does a second stored copy (scribd.com/document/710409521/Besley-1); the repayment "
        "regions and probabilities were not visible, so the paper's own results are not in the "
        "gallery (the toolkit's model of it is alliance.models.credit_alliance)",
    ),
    (
        "Zhao, Li & Pan (2015), Cooperation or Competition: An Evolutionary Game Study between "
        "Commercial Banks and Big Data-Based E-Commerce Financial Institutions in China, Discrete "
        "Dynamics in Nature and Society, article 890972, doi 10.1155/2015/890972",
        "the stored copies (www.hindawi.com/journals/ddns/aip/890972, "
        "docplayer.net/1202201, www.sciencegate.app/document/10.1155/2015/890972) show the "
        "abstract, the introduction and the model's hypotheses H1-H3 in words; the payoff matrix "
        "and the equilibrium analysis were not in them and no stored table page was found",
    ),
    (
        "Yao & Li (2013), Study on the evolutionary game of real-estate developers and commercial "
        "banks, International Journal of Computer Trends and Technology 4(3), p. 352",
        "the stored copy (de.scribd.com/document/160871864) shows the first page only (abstract "
        "and the start of the introduction)",
    ),
    (
        "Hou Yinyin & Chen Jinlong (2012), 银企信用关系良性演化的机理研究 (mechanism of the "
        "benign evolution of bank-enterprise credit relations), journal not shown",
        "the stored copy (fx361.cc/page/2012/0907/20803892.shtml) shows the abstract and the "
        "start of the introduction; the payoff matrix and the equilibria were not in it",
    ),
    (
        "Li Xue & Zhou Yongsheng, evolutionary game of default between core enterprises and SMEs "
        "in accounts-receivable financing, journal and year not shown",
        "the stored copy (www.handmsg.com/page/2019/0710/8171764.shtml) shows the abstract and the "
        "first assumptions (shares x and y of keeping the contract); the payoff matrix and the "
        "equilibria were not in it",
    ),
    (
        "Lin (2012), Game Analysis of SME Financing, Journal of Financial Risk Management 1(4), "
        "64-67",
        "the stored copy (file.scirp.org/Html/25797.html) shows the first page only (abstract and "
        "the start of the assumptions of a dynamic game of complete information)",
    ),
    (
        "Wang, Liu & Zhang (2022), Evolutionary game analysis of FinTech transformation: A social "
        "co-governance pattern of peer-to-peer lending market in China, Frontiers in Psychology "
        "13, 954132, doi 10.3389/fpsyg.2022.954132",
        "the stored copies (frontiersin.org/articles/10.3389/fpsyg.2022.954132/full and a PubMed "
        "mirror) show the abstract and the start of the introduction only",
    ),
    (
        "Zhou, Yang, Wan, Gao, Ye, Wu & Liu (2024), Credit Risk Game Analysis and Control Model of "
        "RMSEs - Based on the Perspective of Green Credit, A&R 2(2), 0012, doi 10.59978/ar02020012",
        "the stored copy (sccpress.com/ars/article/view/53/210) shows the front matter and the "
        "abstract only",
    ),
    (
        "Wang, Gu, He & Zhao (2022), 供应链金融信贷市场三方演化博弈动态 (Evolutionary Game Analysis "
        "on Credit Market of Supply Chain Finance), 运筹与管理 31(1), 30-37, doi "
        "10.12005/orms.2022.0005",
        "the stored copy (www.jorms.net/CN/10.12005/orms.2022.0005) shows the abstract only",
    ),
    (
        "Qin (2023), 演化博弈视角下应收账款融资模式研究 (accounts-receivable financing between SMEs and "
        "core enterprises), 应用数学进展 12(1), 240-249, doi 10.12677/AAM.2023.121027",
        "the stored copy (www.hanspub.org/journal/PaperInformation?paperID=60941) shows the "
        "abstract and the start of the introduction only",
    ),
    (
        "Yang & Qiu (2022), Imitation Dynamics Analysis of Evolutionary Game for Green Credit "
        "Transaction Behavior, Operations Research and Fuzziology, doi 10.12677/ORF.2022.123087",
        "the stored copy (www.hanspub.org/journal/PaperInformation.aspx?paperID=54482) shows the "
        "abstract only",
    ),
    (
        "Cheng & Ma (2016), P2P网贷平台与商业银行贷款业务的合作机制研究 (hawk-dove game of P2P "
        "platforms and commercial banks), 公共财政研究 2016(1); and Ji & Ma (2018), three-party "
        "evolutionary game of commercial banks, small and micro enterprises and P2P platforms, "
        "时代金融 2018(3)",
        "the stored copies (www.jizihe.com/page/2016/0208/18837676.shtml and "
        "m.jizihe.com/page/2018/0207/2857422.shtml) show the abstracts and the first lines of "
        "the models only",
    ),
    (
        "Zhao & Shi (2021), Incentive and Coordination in the Two-Sided Market: Evidence from the "
        "P2P Lending Market, Discrete Dynamics in Nature and Society, article 9240374",
        "the stored table pages (www.hindawi.com/journals/ddns/2021/9240374/tab1, tab6, tab8, tab9, "
        "tab13, tab14) hold parameter definitions and regression results; the paper's model is a "
        "two-sided-market model, and no equilibrium or stability table was among them",
    ),
    (
        "Network Evolutionary Game-Based Diffusion Mechanism regarding the Nonperformance of "
        "Farmers in Agricultural Supply Chain Finance, Discrete Dynamics in Nature and Society "
        "(2022), article 8550974",
        "the only stored table page (preview.hindawi.com/journals/ddns/2022/8550974/tab3) lists "
        "the simulation steps of a network game; no payoff or stability table was found",
    ),
    (
        "Group-lending papers that reproduce Besley & Coate (1995): Arnold, Reeder & Steger, On "
        "the viability of group lending when microfinance meets the market (doi "
        "10.1177/0972652712473403); Ahlin & Townsend (2007), Economic Journal 117, F11-F51; Bond "
        "& Rai (2008), Cosigned vs. group loans, Journal of Development Economics 85, 58-80; "
        "de Quidt, Fetzer & Ghatak (2016), Group lending without joint liability, Journal of "
        "Development Economics 121, 217-236",
        "the stored copies (studylib.net/doc/8779300, scribd.com/document/710409528, "
        "c.coek.info/pdf-cosigned-vs-group-loans-.html, studylib.net/doc/12304923) show the first "
        "page only (abstract and opening of the introduction); no repayment condition or "
        "equilibrium was visible",
    ),
    (
        "Further credit games whose stored copies show only the front matter, the abstract or the "
        "introduction: Can the reform of green credit policy promote enterprise eco-innovation? A "
        "theoretical analysis, Journal of Industrial and Management Optimization 18(2), 1453-1485 "
        "(2022), doi 10.3934/jimo.2021028; Evolutionary Game and Numerical Simulation of "
        "Enterprises' Green Technology Innovation: Based on the Credit Sales Financing Service of "
        "Supply Chain, Sustainability 15(1), 702 (2023), doi 10.3390/su15010702; Pan & Zhu, "
        "Research on Credit Guarantee System of SMEs Group Lending Based on Repeated Game; Pan & "
        "Tong (2014), 基于担保机制的网络联保融资模式创新 (guarantees in online joint-liability "
        "loans), 财经理论与实践 2014(3); a Mathematical Problems in Engineering (2014) article "
        "930271 on commercial guarantee companies, banks and borrowers",
        "read at ftp.aimsciences.org/article/doi/10.3934/jimo.2021028?viewType=html, "
        "mdpi.com/2071-1050/15/1/702, www.mendeley.com/catalogue/d61588d0-ad29-3fa9-84ea-"
        "b043a9c1d345, fx361.cc/page/2014/0919/1616150.shtml and "
        "www.hindawi.com/journals/mpe/2014/930271; no payoff matrix, equilibrium or stability "
        "table was in the stored text",
    ),
    (
        "Scientific Reports (2025), doi 10.1038/s41598-025-92853-5, Table 1 (game payoff matrix) "
        "read at preview-www.nature.com/articles/s41598-025-92853-5/tables/1",
        "the table was read in full, but its caption shows a coopetition game between urban "
        "investment construction companies and real estate enterprises: it is not a credit game",
    ),
    (
        "A two-population determinant-and-trace table in parameters F, G, R and C on a stored "
        "SCIRP table page (html.scirp.org/file/_3-7201965_4.htm)",
        "the article's title, authors and subject are not on the stored page, and two minus "
        "signs are lost (printed as '?'), so it is not known to be a credit game nor fully "
        "readable",
    ),
    # Third pass.
    (
        "Chinese-language credit games on stored reposting sites: Qian Yan & Wu Liujie (2019), "
        "小微企业信贷融资机制的演化博弈分析 (banks and small and micro enterprises), 金融与经济 "
        "2019(3); Wen Xuezhou, Jiang Haiyun & Zhang Haiyan, trust repair between small and micro "
        "enterprises that defaulted without intent, banks and guarantee institutions (journal and "
        "year not shown); Li Wu, government-bank-enterprise financing cooperation in Pudong "
        "(journal and year not shown); Feng Zongxian & Huo Yuanyuan (2015), 演化博弈下的小微企业集合"
        "融资模式 (collective financing with self-help guarantees), 西安交通大学学报(社会科学版) "
        "35(5), doi 10.15896/j.xjtuskxb.201505002",
        "the stored copies (www.victorzhang.cn/page/2019/0329/12738219.shtml, "
        "m.handmsg.com/page/2020/0420/11675335.shtml, www.victorzhang.cn/page/2011/0417/"
        "18941644.shtml, m.taowenge.com/p-13777.html, m.zgkjsz.com/page/2015/0307/17652279.shtml) "
        "show the abstracts and the first paragraphs of the introductions only; searches with "
        "their payoff and equilibrium wording returned the same first pages",
    ),
    (
        "Cooperative (Shapley-value) credit games: Wang Miao (2017), 中小微企业信用担保贷款风险比例"
        "分担研究——提供政府补贴的两方合作博弈模型 (risk sharing between banks and guarantee "
        "institutions), 商业经济与管理 2017(3); Peng Xiaobing & Zhu Jiang (2019), 农村信贷与农业保险"
        "互动的收益分配机制——基于合作博弈Shapley值的分析, 重庆大学学报(社会科学版) 25(2), 1-13, doi "
        "10.11835/j.issn.1008-5831.jg.2018.09.008",
        "the stored copies (fx361.cc/page/2017/0425/21203061.shtml, "
        "qks.cqu.edu.cn/html/cqdxskcn/2019/2/20190201.htm, fx361.cc/page/2019/0116/17314363.shtml) "
        "show the front matter, abstracts and introductions only; the characteristic functions "
        "and Shapley values were not visible",
    ),
    (
        "Ma Guoshun & Ma Chonghui (2020), Evolutionary Game Analysis of Campus Credit Strategy "
        "Selection Under Incomplete Information Conditions (campus online-loan platforms and "
        "student borrowers), Journal of World Economic Research 9(1), doi "
        "10.11648/j.jwer.20200901.18",
        "the stored copies (jwer.org/article/174/10.11648.j.jwer.20200901.18, "
        "amjls.net/article/10.11648/j.jwer.20200901.18) show the abstract only, which states in "
        "words that (1, 1) and (0, 0) are the stable points; no payoff matrix or table was "
        "visible (the two copies even print different page ranges, 61-67 and 51-57)",
    ),
    (
        "Zhong Conglin, Song Qi, Jing Yihan, Dong Zhi & He Zhou, 我国金融机构与实体企业的投融资"
        "决策研究 (financial institutions and real-economy firms, evolutionary game with agents), "
        "a LaTeX manuscript formatted for 系统工程理论与实践",
        "the stored pages (git.agentlab.cn/SongQi/entity_ABM commit diffs) show the LaTeX preamble "
        "and the author footnotes only; the volume and issue are still 'X', so it is a manuscript, "
        "not the published version, and no snapshot of the repository could be fetched",
    ),
    (
        "Classic credit-rationing and group-lending papers looked for in stored full text: "
        "Stiglitz & Weiss (1981), Credit Rationing in Markets with Imperfect Information, American "
        "Economic Review 71(3), 393-410; Ghatak & Guinnane (1999), The economics of lending with "
        "joint liability: theory and practice, Journal of Development Economics 60, 195-228; "
        "Gangopadhyay, Ghatak & Lensink (2005), Joint liability lending and the peer selection "
        "effect, Economic Journal 115(506), 1005-1015; Busetta & Zazzaro (2012), Mutual "
        "loan-guarantee societies in monopolistic credit markets with adverse selection, Journal "
        "of Financial Stability 8, 15-24; Markheim (2017), The Role of Group Size and Correlated "
        "Project Outcomes in Group Lending, Theoretical Economics Letters 7(5), 1189-1200, doi "
        "10.4236/tel.2017.75080",
        "the stored copies (scribd.com/document/561928307, ro.scribd.com/document/47864769, "
        "fdocuments.us; docplayer.net/16643789; research.rug.nl and pdffox.com; c.coek.info; "
        "file.scirp.org/Html/9-1501170_77803.htm and scirp.org paperinformation 77803) show the "
        "first page or the abstract and introduction only; the theorems, repayment conditions and "
        "contracts were not visible (Gangopadhyay, Ghatak & Lensink's abstract says Ghatak's "
        "(2000) contracts violate an ex post incentive constraint, but those contracts were not "
        "read either); secondary summaries (an authorea note quoting Stiglitz & Weiss's theorems "
        "in words, slides of Ghatak & Guinnane) are not the papers' own text",
    ),
    (
        "Further credit and trade-credit models whose stored copies show only the abstract or "
        "the first page: Wu, Zhao & Xi (2017), A retailer-supplier supply chain model with trade "
        "credit default risk in a supplier-Stackelberg game, Computers & Industrial Engineering "
        "112, 568-575; Zhao, Zhang & Wang (2016), A Bank Credit Model with Capital-Constrained "
        "Newsvendor Under Two Ordering Opportunities, Journal of Systems Science and Information; "
        "Desogus & Venturi (2023), Stability and Bifurcations in Banks and Small Enterprises, "
        "Journal of Risk and Financial Management 16(3), 171 (a Lotka-Volterra system, not a game)",
        "read at research.buaa.edu.cn, www.degruyterbrill.com (doi 10.21078/JSSI-2016-408-11) and "
        "mdpi.com/1911-8074/16/3/171; no equilibrium, first-order condition or stability table "
        "was in the stored text",
    ),
    # Fourth pass.
    (
        "Lashgari, Eshaghi Gordji & Bahiraie (2022), A New Credit and Loan Lending Strategy in "
        "Banking Systems; an Evolutionary Game Theory Approach, Islamic Economics & Banking 11(39) "
        "(the Persian-language version of the Journal of Applied Mathematics article); and an "
        "International Journal of Nonlinear Analysis and Applications article on the same "
        "group's stored page ijnaa.semnan.ac.ir/article_10069",
        "the stored pages (mieaoi.ir/article-1-1062-en.html and its XML record, "
        "globalauthorid.com) show the abstract only; the IJNAA page shows only a reference list "
        "(works on non-performing loans and evolutionary games), not the article's title or model",
    ),
    (
        "Chinese-language bank-lending games whose stored copies show only the abstract or the "
        "introduction: 地方法人银行与小微企业信贷策略的演化博弈 (local banks and small and micro "
        "enterprises; economy.alljournals.cn, journal not shown); 科技银行与科技型中小企业的演化博弈 "
        "(science-and-technology banks and SMEs), 科技管理研究 2014(11), 159-166; Yu Zefei (2024), "
        "financial institutions and digital service providers in SMEs' digital transformation "
        "(handmsg.com/page/2024/0419/23950024.shtml); Feng Bao & Zhang Zuominyang (2024), "
        "blockchain platform supply-chain finance (91fabiao.com/zazhi/9865513.html)",
        "read at the addresses given and at 218.28.6.71:81/Qikan/Article/Detail?id=49887141; no "
        "payoff matrix, equilibrium or stability table was in the stored text",
    ),
    (
        "A CSDN blog post (blog.csdn.net/2401_84975622/article/details/138860521) reproducing a "
        "published evolutionary game of SMEs (repay or not) and a bank (blockchain or not)",
        "it is a secondary reproduction whose source paper is not named in the stored text, so "
        "the paper's own printed results were not seen",
    ),
    (
        "Gehrig, Mesoudi & Lamba (2021), Banking on cooperation: an evolutionary analysis of "
        "microfinance loan repayment behaviour, Evolutionary Human Sciences",
        "its entry on a public academic website (amesoudi/academic-website, "
        "content/publication/gehrig_banking_2021/index.md) gives the abstract, which describes a "
        "review of 40 empirical studies of repayment, not a game with equilibria; the paper's PDF "
        "was not opened",
    ),
    (
        "Battiston, Delli Gatti, Gallegati, Greenwald & Stiglitz (2007), Credit chains and "
        "bankruptcy propagation in production networks, Journal of Economic Dynamics and Control "
        "31(6), 2061-2084, doi 10.1016/j.jedc.2007.01.004",
        "its entry on a public research-group website (sg-dev/sg-website, "
        "content/publications/2007/battiston2007credit-chains-and/index.md) gives the abstract, "
        "which describes a simulation model of trade-credit networks, not a game with printed "
        "equilibria; the PDF stored beside it was not opened",
    ),
    (
        "Basu & Conning, Commitment under Threat: Contracting with Present-Biased Consumers under "
        "Renegotiation Concerns (banks' commitment contracts and renegotiation, LaTeX source dated "
        "April 2021 in the public repository jhconning/commitments, Basu_Conning-2021a.tex)",
        "the source read (title, abstract and introduction) names no journal: it is a working "
        "paper, not a published one, so it is not in the gallery",
    ),
    (
        "Diamond (1984), Financial Intermediation and Delegated Monitoring, Review of Economic "
        "Studies; Diamond (1989), Reputation Acquisition in Debt Markets, Journal of Political "
        "Economy; Diamond & Rajan (2001), Liquidity Risk, Liquidity Creation, and Financial "
        "Fragility: A Theory of Banking, Journal of Political Economy (texts in a public notes "
        "repository, linroger/Finance-Notes-and-Marginalia)",
        "the code search showed the abstracts and the openings of the introductions; the versions "
        "of those notes that can be opened by path are stubs (title and tags only), and the "
        "repository's snapshot (1.2 GB) is over the size that can be fetched, so no model, "
        "equilibrium or example was read",
    ),
    # Fifth pass.
    (
        "Financial Intermediation as Delegated Monitoring: A Simple Example, and Financial "
        "Intermediation and Delegated Monitoring (Douglas W. Diamond; notes of the public "
        "repository linroger/Finance-Notes-and-Marginalia, journal not shown in them)",
        "the code search shows the opening of the second paper's text, but the files opened by "
        "path hold the front matter only (title, tags and heading; 808 and 1,201 characters at "
        "commits 33e7edd and fcd55fa for the first, 699 characters for the second), so no "
        "model, number or example of either paper was read",
    ),
    (
        "Paliński (2016), Game-Theoretic Approach to Bank Loan Repayment (a signaling game of a "
        "bank and borrowers with discrete types, with a numerical example), Decision Making in "
        "Manufacturing and Services 9(1), 79-88, doi 10.7494/dmms.2015.9.1.79; and Paliński "
        "(2018), Loan Payment and Renegotiation: The Role of the Liquidation Value, Argumenta "
        "Oeconomica 1(40), 225-252",
        "the stored copies (journals.agh.edu.pl/dmms/article/view/1671, financedocbox.com "
        "transcription 100957733, the prolib.ans-gniezno.edu.pl record, "
        "papers.ssrn.com abstract 2325424) show the abstracts, the references and the start of "
        "the introduction only; the equilibrium conditions and the numerical example were not "
        "visible",
    ),
    (
        "Impacts of power structure and financing choice on manufacturer's encroachment in a "
        "supply chain (a capital-constrained retailer financed by bank credit or trade credit), "
        "Annals of Operations Research (2022), doi 10.1007/s10479-022-04793-2, authors not shown",
        "the one stored chunk of link.springer.com/article/10.1007/s10479-022-04793-2 is the "
        "start of the appendix (Proof of Lemma 1: the bank credit rate, the retailer's second "
        "derivative and price response, the manufacturer's second derivative and wholesale "
        "price), but the profit functions it differentiates (its Eq. (N-1)) are not in the "
        "stored text, so no printed claim could be checked against a printed payoff; the "
        "unpaywall.org copy shows the abstract only",
    ),
    (
        "Credit-financing games in supply chains whose stored copies show only the front "
        "matter, the abstract or the introduction: Xu, Luo, Shi & Liu (2022), Credit financing "
        "and channel encroachment: analysis of distribution choice in a dual-channel supply "
        "chain, Operational Research, doi 10.1007/s12351-022-00699-w; Wu & Gao (2020), "
        "Equilibrium Strategies of Manufacturer's Encroachment under a Capital-Constraint "
        "Retailer, Open Journal of Business and Management 8, 2633-2648, doi "
        "10.4236/ojbm.2020.86163; Zhan, Xu, Xu & Jin (2021), Trade credit or vertical merger "
        "strategy for financial constrained retailer in a supply chain with asymmetric competing "
        "retailers, RAIRO-Operations Research 55, 1617-1641, doi 10.1051/ro/2021074; Yang, Dai, "
        "Wan & Chu (2019), Optimal credit periods under two-level trade credit, Journal of "
        "Industrial & Management Optimization, doi 10.3934/jimo.2019027; Ezimadu & Ezimadu, "
        "Stackelberg trade-credit models with a credit function, Science World Journal; "
        "Analysis of the Profits of Banks and Supply Chain Enterprises under Noncollaborative "
        "and Collaborative Financing, Mathematical Problems in Engineering (2019), article 6263480",
        "read at distantreader.org/stacks/cord/cord-0075533-v733ufol.txt, arietiform.com (a "
        "proxy of the Springer page), unpaywall.org, scirp.org paperinformation 104244, "
        "pdfslide.net, 123dok.net, numdam.org, api.openalex.org, aimsciences.org, "
        "scienceworldjournal.org/article/view/24067, ajol.info/index.php/swj/article/view/246292 "
        "and preview.hindawi.com/journals/mpe/2019/6263480/tab1 (Table 1, the notation, is the "
        "only stored table page); no profit function, equilibrium or numerical example was in "
        "the stored text",
    ),
    (
        "Wang, Lee & Ko (2020), Do Loan Guarantees Alleviate Credit Rationing and Improve "
        "Economic Welfare?, Sustainability 12(9), 3922, doi 10.3390/su12093922",
        "a stored chunk of a proxy copy (p.gyb.elementfx.com/2071-1050/12/9/3922) holds Section "
        "3's text on a government guarantee of a share of the loan, but every formula is "
        "stripped (the sentence giving the bank's zero-profit condition ends 'becomes .'); the "
        "other copies (mdpi.com through a library proxy, ideas.repec.org, "
        "discovery.researcher.life) show the abstract only",
    ),
    (
        "Karlan, Mobius, Rosenblat & Szeidl (2009), Trust and Social Collateral, Quarterly "
        "Journal of Economics 124(3), 1307-1361 (network trust as the largest amount one agent "
        "can borrow from another)",
        "the stored copies of the text (studylib.net/doc/14923950, 1library.net) are the "
        "Mobius & Szeidl working papers of September 2006 and May 2007 (NBER w13126), not the "
        "published version, and show their first pages only; the published version's pages "
        "(markusmobius.org, econpapers.repec.org, dash.harvard.edu) show the abstract",
    ),
    (
        "Further lending and guarantee papers seen as abstracts, first pages or working-paper "
        "versions only: Lukyanov, Collateral and Reputation in a Model of Strategic Defaults "
        "(arXiv 2509.08849; an arxivlens page lists the DOI 10.1016/j.jedc.2023.104755); "
        "Interbank Lending Games (arXiv, cs.GT, publication not shown); Lehar, Song & Yuan "
        "(November 2011 working paper), Industry Structure and the Strategic Provision of Trade "
        "Credit by Upstream Firms; Wenli Li, Government Loan, Guarantee, and Grant Programs: An "
        "Evaluation (Federal Reserve Bank of Richmond); Honohan (2010), Partial credit "
        "guarantees: Principles and practice, Journal of Financial Stability 6, 1-9 (a policy "
        "essay, not a game); Shanaev & Shuraeva (2016), Competitive Consumer Loan Market Model: "
        "Interest-Collateral Equilibrium (SSRN 2801107, a working paper)",
        "read at arxivlens.com, ideas.repec.org, readkong.com, studylib.net/doc/18839621, "
        "c.coek.info, cupdf.com and ssrn.com; no equilibrium, payoff or example of a published "
        "version was in the stored text",
    ),
    (
        "Dubey & Mukherjee, Game-Theory Approach using Blockchain to Enhance Trust in "
        "Decentralized Finance Systems (implemented in the public repository "
        "theskepticgeek/SecureDeFiLendingOptimized)",
        "the repository holds a README, the Solidity contract and a 'Response to reviews' PDF; "
        "the paper's text is not in it and its journal is not named, so it was not read",
    ),
    (
        "An unidentified 'Table B-1. Table of results' (pooling and separating equilibria of "
        "safe and risky borrowers, the bank's profits and the borrowers' profits) stored under "
        "an unrelated address (ui.adsabs.harvard.edu/abs/2010MNRAS.409L.132Z/abstract)",
        "the stored text is a garbled scan (symbols lost, cells run together) and names no "
        "paper, author or journal, so its source is not known and its cells cannot be read",
    ),
    (
        "Cooperative, group-lending and SME-credit models seen only as abstracts, first pages or "
        "working-paper versions: Wang & Zeng (2016), Micro and Small Enterprises, Bank Loans and "
        "Economic Growth: A Coalition Strategy (a coalition game of banks, micro and small "
        "enterprises and state-owned firms), Journal of Applied Finance & Banking 6(2), 93-101; "
        "Ntieche, Strategies of Mixed Coalitions in Group Lending and Equitable Distribution of "
        "Joint Profit (journal and year not shown); Jin & Zhang (2019), Credit Rationing in Small "
        "and Micro Enterprises: A Theoretical Analysis, Sustainability 11(5), 1330, doi "
        "10.3390/su11051330; Luo, He & Hu (2024), Government subsidy policies for guarantee "
        "financing: Risk compensation vs. fee reduction, European Journal of Operational "
        "Research, doi 10.1016/j.ejor.2023.10.032; Lei, Luo & Yan (2008), relationship banking "
        "and SME finance in a Bertrand framework (journal not named in the stored text); Reito "
        "(2016), Is it better to be mixed in group lending? (MPRA 76129, a working paper); "
        "Debrah (2018), Joint Liability Lending with Correlated Risks under Adverse Selection (a "
        "job-market paper); Bond & Rai, Cosigned or Group Loans (the June 2004 working paper; "
        "the published version is listed above); Markheim (2017), listed above, searched again "
        "for later chunks",
        "read at studylib.net/doc/13728193, tailieutuoi.com, scienpress.com, opastpublishers.com, "
        "docslib.org/doc/13000077, mdpi.com, p.gyb.elementfx.com, econpapers.repec.org, "
        "ablesci.com, aminer.org, m.jizihe.com/page/2008/0101/27831184.shtml, 1library.net, "
        "de.scribd.com/document/398172152, pdfslide.net and scirp.org; only the front matter, "
        "the abstract or the introduction was stored (no characteristic function, payoff, "
        "equilibrium or example), or the version stored is not a published one",
    ),
)

#: The number of published games the project aims for.
TARGET = 6

#: How an entry's table is checked: against itself, against the table derived from the
#: payoff matrix the paper prints, (a game with continuous strategies) the printed
#: first-order conditions and best responses against the printed payoff functions, or the
#: numbers of the paper's worked examples against its printed model.
CHECKS = ("consistency", "derived", "first-order", "examples")

#: The searches of stored public copies run for the second pass over the gallery, as (corpus,
#: query or group of related queries), so a later search need not repeat them. The first pass
#: did not record its queries; the papers every pass read in part are in NOT_IN_GALLERY.
SECOND_PASS_SEARCHES = (
    ("pages", "evolutionary game credit guarantee bank SME guarantee institution stability eigenvalues table"),
    ("pages", "preview.hindawi.com tab evolutionary game supply chain finance bank core enterprise eigenvalue"),
    ("pages", "evolutionary game green credit banks enterprises government Jacobian eigenvalues table"),
    ("pages", "P2P lending evolutionary game platform investors regulators payoff matrix stability"),
    ("pages", "Research Article Table Payoff matrix of banks and guarantee institutions SMEs"),
    ("pages", "Table Stability analysis of equilibrium points bank loan enterprise default supervision ESS"),
    ("pages", "frontiersin xml evolutionary game guarantee institutions banks mml:math eigenvalue"),
    ("pages", "pmc.ncbi.nlm.nih.gov table eigenvalues equilibrium points evolutionary game banks loans"),
    ("pages", "PLOS ONE / Heliyon / Scientific Reports evolutionary game credit SMEs banks tables"),
    ("pages", "PMC9253637 and PMC11676567 table pages (Lv, Ma & Ding; Mei, Zhang & Zhou)"),
    ("pages", "bank-enterprise credit evolutionary game det J tr J equilibrium saddle point"),
    ("pages", "银企信用关系 演化博弈 支付矩阵 复制动态方程 雅可比矩阵 (Chinese-language reposts)"),
    ("pages", "应收账款融资 中小企业 核心企业 演化博弈 均衡点; 绿色信贷 模仿动态 特征值"),
    ("pages", "Table 1 Game payoff matrix From: (nature.com table pages) credit banks loans"),
    ("pages", "Hindawi journals (Complexity, DDNS, MPE, CIN, WCMC, MIS) credit or supply-chain-finance tables"),
    ("pages", "Zhao, Li & Pan (2015) e-commerce financial institutions and banks: payoff and det/tr chunks"),
    ("pages", "joint liability group lending repayment game Besley-Coate equilibrium (stored full texts)"),
    ("pages", "html.scirp.org table pages payoff matrix bank enterprise loan"),
    ("pages", "inclusive finance / microfinance / debt-to-equity swap / internet finance / local "
     "government debt evolutionary game tables"),
    ("pages", "PMC-style table rows: | Equilibrium point | Eigenvalue | Stability | with credit terms"),
    ("pages", "green credit eco-innovation banks enterprises Jacobian det tr (AIMS html view)"),
    ("code", "evolutionary game bank SME guarantee replicator dynamics matlab payoff parameters paper"),
    ("code", "supply chain finance evolutionary game simulation replicator equations python"),
    ("code", "group lending joint liability game repayment equilibrium replication"),
    ("find_string", "'evolutionary game of credit guarantee', 'supply chain finance evolutionary game', "
     "'joint liability', '担保机构', 'guarantee institutions', '复制动态方程', '银行 演化博弈'"),
)

#: The third pass: table wording, stored full-text hosts, GitHub copies of papers (PDF or
#: LaTeX) and classic credit games; it found the SpringerPlus (2016) entry and the PDF of
#: Shi & Wang (2017), whose basin area and its derivatives the 2017 entry now checks.
THIRD_PASS_SEARCHES = (
    ("pages", "stability-table wording with credit words: 'Equilibrium point det J tr J Stability ESS "
     "saddle point unstable' with guarantee / bank / SME; Chinese '均衡点 detJ trJ 稳定性 担保机构 银行', "
     "'局部稳定性分析 银行 中小企业 信贷 鞍点'"),
    ("pages", "deeper chunks of Chinese reposts (victorzhang.cn, handmsg.com, taowenge.com, "
     "zgkjsz.com, fx361.cc, qks.cqu.edu.cn) by their authors' payoff and equilibrium wording"),
    ("pages", "full-text hosts: html.hanspub.org / image.hanspub.org, file.scirp.org Html, html.rhhz.net "
     "with 均衡点 / 特征值 / bank and loan words"),
    ("pages", "Hindawi 'Research Article Table' captions: local stability of equilibrium points of banks, "
     "guarantee companies and SMEs; payoff matrices of farmers and rural financial institutions, of "
     "platforms, lenders and borrowers, of commercial banks and enterprises; blockchain supply chain "
     "finance; trade credit between suppliers and retailers"),
    ("pages", "PLOS ONE / Heliyon table pages: stability of equilibrium points in financing guarantees; "
     "payoff matrix of core enterprises, suppliers and financial institutions"),
    ("pages", "campus online loans (Ma & Ma 2020) full text; Shapley-value risk sharing between banks "
     "and guarantee institutions; rural credit and agricultural insurance"),
    ("pages", "classic papers in stored full text: Stiglitz & Weiss (1981) theorems; Ghatak (2000), "
     "Gangopadhyay, Ghatak & Lensink (2005), Ghatak & Guinnane (1999) models; Bond & Rai appendix; "
     "Busetta & Zazzaro (2012) mutual loan-guarantee societies; Markheim (2017) group size"),
    ("pages", "games with continuous strategies: trade-credit Nash and Stackelberg conditions "
     "(SpringerPlus 2016 chunks), LaTeX first-order conditions of bank-loan, guarantee-fee and "
     "joint-liability games; arXiv / ar5iv HTML credit games"),
    ("docs", "replicator dynamics bank lends SME repays default Jacobian det tr credit guarantee"),
    ("code", "evolutionary game credit guarantee LaTeX tables ('\\begin{tabular} equilibrium point "
     "det(J) tr(J)', '\\begin{table} 均衡点 雅可比矩阵 特征值'); '演化博弈 银行 中小企业 贷款 担保 论文 "
     "publication'; '供应链金融 演化博弈 核心企业 复制动态方程'; '论文合集 pdf'; '博弈论 课程论文'"),
    ("code", "personal academic sites with paper PDFs (Hugo 'publication_types' / 'url_pdf', Jekyll "
     "'collection: publications paperurl'); replication code of credit evolutionary games"),
    ("find_string", "'中小企业融资的演化博弈', '供应链金融演化博弈', '信贷 演化博弈', '演化博弈', "
     "'复制动态方程', '融资担保', '联保贷款', '银企演化博弈', '我国金融机构与实体企业的投融资决策研究', "
     "'Screening by the company you keep', 'Jiaming Wang, Ling Jia, Pan He'"),
    ("pages", "document-repost hosts with deeper chunks (1library, 123dok, docin, doc88, wenku) with "
     "credit-game table wording in English and Chinese"),
    ("code", "MATLAB replication code citing a credit paper ('% Citation', '演化博弈 银行 放贷 企业 违约 "
     "担保 复制动态 仿真'); Hugo sites listing 中国知网 publications with PDFs"),
    ("find_string", "'演化博弈分析.pdf', '演化博弈.pdf', 'publication: In *中国知网*', "
     "\"url_pdf: 'https://www.cnki.net\", 'evolutionary game\" bank'"),
    ("find_repos", "'entity_ABM', 'microfinance', 'evolutionary-game', 'supply-chain-finance'"),
    ("find_files", "redblue0216/personal_website_shihua (the PDF of Shi & Wang 2017), "
     "LINGYUAN1201/LINGYUAN1201.github.io, Tanngyu/-Replication-of-evolutionary-game-paper, "
     "linktoxc/three-party-evolutionary-game, weizhen96/four-party-evolutionary-game, "
     "yxngwei/evolutionary-game-simulation"),
    ("fetch", "redblue0216/personal_website_shihua (read: the two-page PDF, text and table images); "
     "SongQi/entity_ABM (no snapshot)"),
)

#: The fourth pass: GitHub repositories holding papers' full texts (personal and group sites,
#: LaTeX sources, text corpora), then the few stored pages not seen before; its find is the
#: entry of 2016 (a lending game's worked examples, in its author's text corpus).
FOURTH_PASS_SEARCHES = (
    ("find_repos", "'personal_website', 'evolutionary-game', 'evolutionary_game', 'EvolutionaryGame', "
     "'supply-chain-finance', 'credit-guarantee', 'guarantee', 'microfinance', 'group-lending', "
     "'trade-credit', 'tripartite', 'lending', 'credit-game', 'replication', 'game-theory-paper', "
     "'finance-papers', 'econ-papers', '论文', '博弈', 'jhconning', 'arbel', 'for-llm'"),
    ("find_files", "WenfeiGe716/matlab-evolutionary-game, Laniakea2000/evolutionary-game, "
     "willstruggle/Evolutionary-game-theory, anadi2311/Thesis-Supply-Chain-Finance-and-Blockchain, "
     "redblue0216/personal_website_shihua (content/publication), jhconning/* (jhconning.github.io, "
     "Dev-II, DevII, sfinance, eco331, renegotiation, commitments, Econ-Teach), sg-dev/sg-website "
     "(PDFs of 2012-2016), wyz2368/credit_networks, anbrog/finance-papers, "
     "yonathanarbel/my-works-for-llm; paths papers/ssrn-2820650/paper.txt and paper.pdf"),
    ("code", "LaTeX and Hugo/Jekyll publication entries: '\\section{Evolutionary game model} bank "
     "SME guarantee', 'joint liability group lending \\begin{proposition}', 'publication joint "
     "liability lending url_pdf', 'publication credit guarantee SMEs evolutionary game url_pdf', "
     "'elsarticle trade credit supplier retailer Stackelberg', '演化博弈 论文 tex 银行 中小企业 担保机构', "
     "'title: 供应链金融 演化博弈 publication_types url_pdf', 'cctart 演化博弈 银行 信贷', "
     "'publication: 中国管理科学 OR 系统工程理论与实践 博弈 银行', 'publication trade credit supply "
     "chain financing bank loan game url_pdf'"),
    ("code", "replication packages and converted paper texts: 'README code for the paper evolutionary "
     "game banks SMEs MATLAB', 'paper.tex microfinance group loan joint liability', '\\begin"
     "{proposition} credit guarantee scheme bank', '## Page 3 evolutionary game model banks SMEs "
     "payoff matrix', '参考论文 pdf 基于演化博弈的 供应链金融', '银行 企业 贷款 演化博弈 复制动态方程 "
     "markdown', 'collection: publications ... lending game microfinance', 'Shielding of Assets and "
     "Lending Contracts ssrn-2820650'"),
    ("find_string", "'group_lending.pdf', 'joint liability', 'group lending', 'social collateral', "
     "'peer monitoring', 'safe and risky borrowers', '担保机构的收益', '守信的概率', '担保公司', "
     "'银行的复制动态', '违约的概率为', '中小企业融资', '演化稳定策略', '演化博弈研究', "
     "\"title: '基于演化博弈\", 'Notes on NetworkLending', 'Ghatak_1999', 'Besley and Coate (1995)', "
     "'Stiglitz (1990)', 'repayment incentives and social collateral', 'Credit Rationing in Markets "
     "with Imperfect Inf', 'Screening by the company you keep', 'proportion of banks choosing', "
     "'probability that the bank chooses', 'guarantee institution chooses', 'Electronic copy "
     "available at: https://ssrn.com/ab', 'corpus code wrapper', 'embeds the paper text and study "
     "assets'"),
    ("fetch", "yonathanarbel/my-works-for-llm (read: papers/ssrn-2820650/paper.txt in full; its "
     "paper.pdf is a Git LFS pointer); linroger/Finance-Notes-and-Marginalia (refused: 1.2 GB)"),
    ("code", "full texts of classic banking papers in notes repositories: '\\title{ lending game borrower "
     "lender default equilibrium', 'Douglas W. Diamond reputation acquisition debt markets', "
     "'Financial Intermediation as Delegated Monitoring: A Simple Example', 'Class 3-Financial "
     "Intermediation and Delegated Loan Monitoring', 'paper.txt full text: borrowers form groups, joint "
     "liability', 'llms.txt corpus of my papers economics lending', 'index.md publication ... game between "
     "a bank and a borrowing firm; loan guarantee', 'numerical example: the guarantor charges a guarantee "
     "fee; the bank lends to the SME'"),
    ("find_repos", "'finance-notes', 'mba', 'my-papers', 'working-papers'; find_files and read_file: "
     "linroger/Finance-Notes-and-Marginalia (Financial Markets and Institutions notes, two of them "
     "opened: stubs)"),
    ("pages", "table pages and full-text hosts not searched before: 'Table Eigenvalues of the Jacobian "
     "matrix ... bank SMEs loan tripartite', 'link.springer.com tables From: ... bank loan credit "
     "guarantee', 'pmc table Local stability ... supply chain finance core enterprise', "
     "'Highlights in Business, Economics and Management ... supply chain finance', 'atlantis-press "
     "proceedings ... SMEs financing banks guarantee', 'accounts-receivable pledge financing E1(0,0,0) "
     "Jacobian' (to test whether deeper chunks are stored: they are not)"),
    ("pages", "Chinese full-text reposts: '银行 中小企业 贷款 演化博弈 支付矩阵 xzbu.com', '余澤飛 "
     "中小企業數字化轉型 金融機構', '9lib.co 演化賽局 銀行 中小企業 融資 信用保證', 'git.agentlab.cn "
     "SongQi entity_ABM 金融机构 实体企业 演化博弈 均衡点', 'ijnaa.semnan.ac.ir evolutionary game "
     "non-performing loans', 'github.com repository paper pdf evolutionary game bank SMEs credit "
     "guarantee'"),
)

#: The fifth pass: more author corpora and LaTeX or text copies of published lending games on
#: GitHub, then stored pages that hold a later chunk of an article (the model or the appendix);
#: it found no paper whose equilibria or examples could be read in full with their model.
FIFTH_PASS_SEARCHES = (
    ("find_repos", "'my-works', 'papers-for-llm', 'credit-network', 'microcredit', "
     "'working-paper', 'my-research', 'publications', 'trfetzer', 'dequidt', 'ghatak', "
     "'lukyanov', 'SecureDeFiLending'"),
    ("find_files", "yonathanarbel/my-works-for-llm (every papers/ssrn-*/metadata.json and the "
     "first lines of each paper.txt: no other lending model), redblue0216/personal_website_shihua "
     "(the other publication: a master's thesis on unit-root models), jdequidt/quant-econ, "
     "alvinwmtan/asymmetric-credit-networks, kpistunova/Stanford-CS-261-Credit-Networks-with-Fees, "
     "hcl-1024/cicero-credit-networks, sg-dev/sg-website (PDFs of 2012 and 2013), "
     "theskepticgeek/SecureDeFiLendingOptimized, linroger/Finance-Notes-and-Marginalia "
     "(Financial Markets and Institutions); paths paper.txt, paper/paper.tex, "
     "manuscript/manuscript.tex, AER_WRITING_PATTERNS.md"),
    ("read_file", "linroger/Finance-Notes-and-Marginalia: the two Diamond notes at commits 33e7edd "
     "and fcd55fa (front matter only); QihongRuan/science AER_WRITING_PATTERNS.md (a style guide)"),
    ("find_string", "'joint liability', 'joint-liability', 'credit guarantee scheme', 'assortative "
     "matching of borrowers', 'the lender breaks even', \"borrower's participation constraint\", "
     "'credit rationing equilibrium', 'individual liability contract', 'mutual guarantee', "
     "'strategic default', 'guarantee fee rate', '银行的期望收益', '核心企业', 'AER Writing "
     "Patterns Summary', 'Strategic formation of credit networks', 'Trust and Social Collateral', "
     "'Collateral and Reputation in a Model of Strategic', 'dynamics of an incentive problem "
     "between borrowers', bib keys 'besley1995group', 'ghatak1999group', 'stiglitz1990peer', "
     "'stiglitz1981credit'"),
    ("code", "paper texts and LaTeX of lending models: 'joint liability lending Proposition "
     "borrowers repay equilibrium Journal of Development Economics', '\\begin{proposition} "
     "collateral credit rationing lender borrower equilibrium', 'trade credit supplier retailer "
     "numerical example optimal order quantity credit period tex', 'Electronic copy available at "
     "ssrn borrower lender repayment', '\\documentclass microfinance joint liability "
     "Proposition', '\\begin{theorem} Nash equilibrium lenders borrowers interest rate default', "
     "'paper/main.tex entrepreneur bank loan collateral guarantee numerical example', "
     "'\\begin{proposition} lender offers contract repayment collateral safe and risky types', "
     "'Failure and rescue in an interbank network Rogers Veraart', 'rotating savings and credit "
     "association ROSCA game equilibrium', 'law review secured creditor debtor collateral "
     "numerical example', 'Financial Intermediation as Delegated Monitoring: A Simple Example', "
     "'converted paper markdown supply chain finance Stackelberg bank loan numerical example'"),
    ("code", "personal and group sites listing papers with local PDFs: 'collection: publications "
     "venue Journal of Development Economics paperurl microfinance', 'publication_types url_pdf "
     "collateral bank loan borrower theory Journal of Banking and Finance', 'paperurl github.io "
     "files pdf borrowers lenders game-theoretic model loan default', 'publication abstract "
     "capital-constrained retailer bank financing trade credit Stackelberg url_pdf'"),
    ("pages", "table pages and later chunks of articles: 'Financial Innovation springeropen tables "
     "equilibrium bank lending game', 'Karlan Mobius Rosenblat Szeidl trust social collateral "
     "(two queries)', 'Sharing the Risk of Being Poor: Communal Savings Games in a Bangkok Slum', "
     "'ar5iv lending game borrowers lenders equilibrium proposition collateral', 'Game-Theoretic "
     "Approach to Bank Loan Repayment (three queries)', 'Research Article Table equilibrium "
     "decisions under bank credit and trade credit financing', 'preview.hindawi.com mpe 2019 "
     "6263480 Table 2', 'springerplus trade credit numerical example (two queries)', 'PMC table "
     "equilibrium results under different financing modes', 'competitive supply chain bank "
     "financing capital-constrained retailers', 'credit financing and channel encroachment "
     "(three queries)', 'manufacturer encroachment capital-constrained retailer profit function "
     "bank credit trade credit (two queries)', 'trade credit or vertical merger capital-"
     "constrained retailer', 'credit guarantee bank expected profit guarantee fee SME repays', "
     "'Do Loan Guarantees Alleviate Credit Rationing (two queries)'"),
    ("pages", "later chunks of SME-credit and cooperative lending games: 'first-order condition bank "
     "loan interest rate guarantee fee SME profit bank profit Stackelberg (Springer inline math)', "
     "'Jin Zhang credit rationing small and micro enterprises endogenous enterprise size', 'Wang "
     "Zeng coalition game Chinese banks MSEs SOE (two queries)', 'coalition game three players bank "
     "MSEs SOEs imputation core Shapley value', 'Ntieche mixed coalitions group lending Shapley "
     "value', 'Markheim group size correlated project outcomes expected group cost of default'"),
)

#: Every search recorded, pass by pass.
SEARCH_PASSES = (("second", SECOND_PASS_SEARCHES), ("third", THIRD_PASS_SEARCHES),
                 ("fourth", FOURTH_PASS_SEARCHES), ("fifth", FIFTH_PASS_SEARCHES))
SEARCHES = SECOND_PASS_SEARCHES + THIRD_PASS_SEARCHES + FOURTH_PASS_SEARCHES + FIFTH_PASS_SEARCHES


@dataclass(frozen=True)
class GalleryEntry:
    """One published table with its citation, as read.

    Made by :func:`gallery` from the TOML files of ``alliance/data/gallery/``.

    Parameters
    ----------
    key : str
        The file's name without ``.toml``.
    citation : dict
        The fields of the citation that were read (``title``, ``authors``, ``year``,
        ``journal``, ``article``, ``doi``, ``urls``).
    text : str
        The table transcribed as printed.
    parameters : tuple of str
        The paper's parameter names.
    populations : int
        The number of populations (two strategies each); a ``"first-order"`` or
        ``"examples"`` entry that does not state it gets its number of players.
    check : str
        How the table is checked: ``"consistency"`` (against itself), ``"derived"``
        (against the table derived from ``game``), ``"first-order"`` (the printed
        first-order conditions and best responses against the printed payoffs) or
        ``"examples"`` (the printed numbers of worked examples against the printed model).
    missing : tuple of str, optional
        What could not be read.
    game : dict, optional
        The payoff matrix as read (``players``, ``strategies``, ``payoffs``, optional
        ``assumptions`` and ``aliases``); required when ``check`` is ``"derived"``.
    spelling : dict, optional
        Printed words mapped to words the journal reader knows, applied before the check.
    typos : tuple of dict, optional
        Printed cells the parser refuses: ``corner``, ``quantity``, ``printed`` (a part of
        the cell as printed) and ``read_as`` (how that part is read instead).
    interior : dict, optional
        A printed interior rest point: ``label``, ``point`` (one printed coordinate per
        population), optional ``det``, ``tr`` and ``derivative`` (a list of ``{of, by,
        printed}``: the printed derivative of coordinate ``of`` (1-based) by parameter
        ``by``). Checked only with ``check = "derived"``.
    not_checked : tuple of str, optional
        What the paper prints that no check here covers (listed on the errata page).
    claims : tuple of dict, optional
        With ``check = "first-order"``: the printed claims, each with ``label`` (the
        paper's equation number), ``kind`` (``"derivative"``: a player's printed
        derivative of its payoff by its own variable; ``"best response"``: a printed
        value of the player's variable that makes that derivative vanish), ``player`` and
        ``printed``.
    examples : tuple of dict, optional
        With ``check = "examples"``: the paper's worked numerical examples, each with its
        printed model inputs and the printed numbers to recompute exactly.

    Examples
    --------
    >>> entry = {e.key: e for e in gallery()}["complexity_2022_2651538"]
    >>> entry.populations, entry.check
    (4, 'consistency')
    """

    key: str
    citation: dict[str, Any]
    text: str
    parameters: tuple[str, ...]
    populations: int
    check: str
    missing: tuple[str, ...] = field(default=())
    game: dict[str, Any] | None = None
    spelling: dict[str, str] = field(default_factory=dict)
    typos: tuple[dict[str, str], ...] = ()
    interior: dict[str, Any] | None = None
    not_checked: tuple[str, ...] = ()
    claims: tuple[dict[str, Any], ...] = ()
    examples: tuple[dict[str, Any], ...] = ()

    @property
    def title(self) -> str:
        """The paper's title (the key when the title was not read)."""
        return str(self.citation.get("title", self.key))

    def reference(self) -> str:
        """The citation from the fields that were read (absent ones are not guessed).

        Returns
        -------
        str
            Authors (year). Title. *Journal*, article. DOI; "not read" for a missing field.

        Examples
        --------
        >>> {e.key: e for e in gallery()}["complexity_2022_2651538"].reference()
        'authors not read (2022). Evolutionary Game Analysis of Debt Restructuring Involved by Asset Management Companies. *Complexity*, article 2651538. DOI not read.'
        """
        c = self.citation
        authors = ", ".join(c.get("authors") or []) or "authors not read"
        parts = [f"{authors} ({c.get('year', 'year not read')}). {self.title}."]
        journal = c.get("journal")
        if journal:
            parts.append(f"*{journal}*" + (f", article {c['article']}" if c.get("article") else "") + ".")
        parts.append(f"DOI {c['doi']}." if c.get("doi") else "DOI not read.")
        return " ".join(parts)

    def evolutionary_game(self) -> EvolutionaryGame:
        """The replicator dynamics of the payoff matrix read from the paper.

        Returns
        -------
        EvolutionaryGame
            One population per player; a population's coordinate is the share of its first
            strategy.

        Raises
        ------
        ModelFileError
            The entry has no payoff matrix, or the matrix does not make a game (a missing
            profile, a wrong number of payoffs, unreadable payoff text).

        Examples
        --------
        >>> entry = GalleryEntry(key="example", citation={}, text="", parameters=("r", "L"),
        ...     populations=2, check="derived", game={"players": ["Bank", "SME"],
        ...     "strategies": [["lend", "refuse"], ["repay", "default"]],
        ...     "payoffs": [["lend", "repay", "r*L", "L"], ["lend", "default", "-L", "2*L"],
        ...                 ["refuse", "repay", "0", "0"], ["refuse", "default", "0", "0"]]})
        >>> entry.evolutionary_game().equations()
        ReplicatorEquations(
          dx/dt = x*(1 - x)*(-L + y*(L*r + L))    # share of Bank playing 'lend'
          dy/dt = -L*x*y*(1 - y)    # share of SME playing 'repay'
        )
        """
        if not self.game:
            raise ModelFileError(f"gallery entry {self.key}: no [game] section (the payoff matrix)")
        game = self.game
        try:
            players = [str(p) for p in game["players"]]
            strategies = [[str(a) for a in row] for row in game["strategies"]]
            n = len(players)
            payoffs = {}
            for row in game["payoffs"]:
                if len(row) != 2 * n:
                    raise ModelFileError(
                        f"gallery entry {self.key}: [game] payoffs row {row!r} has {len(row)} "
                        f"cells; expected {n} strategy names and {n} payoffs"
                    )
                payoffs[tuple(str(a) for a in row[:n])] = tuple(str(v) for v in row[n:])
            assumptions = dict(game.get("assumptions") or {})
            unknown = sorted(set(assumptions) - set(self.parameters))
            if unknown:
                raise ModelFileError(
                    f"gallery entry {self.key}: [game] assumptions name {', '.join(unknown)}, "
                    "which are not among the table's parameters"
                )
            params = {name: assumptions.get(name) for name in self.parameters}
            normal_form = NormalFormGame.from_payoffs(
                payoffs, players=players, strategies=strategies, params=params
            )
            return EvolutionaryGame(normal_form)
        except ModelFileError:
            raise
        except (KeyError, TypeError) as err:
            raise ModelFileError(f"gallery entry {self.key}: [game] lacks or misreads {err}") from None
        except AllianceError as err:
            raise ModelFileError(f"gallery entry {self.key}: [game] {err}") from None


def gallery(folder: str | Path | None = None) -> list[GalleryEntry]:
    """Every entry of a gallery (by default the shipped one), sorted by key.

    Parameters
    ----------
    folder : str or Path, optional
        A folder of gallery TOML files (default ``alliance/data/gallery/``).

    Returns
    -------
    list of GalleryEntry
        One per TOML file of the folder.

    Raises
    ------
    ModelFileError
        A gallery file that is not valid TOML, lacks a field, names an unknown check, or
        asks for ``check = "derived"`` without a ``[game]`` section.

    Examples
    --------
    >>> [entry.key for entry in gallery()]  # doctest: +NORMALIZE_WHITESPACE
    ['arbel_shielding_of_assets_lending', 'caijingjie_2017_debt_equity_swap',
     'complexity_2022_2651538', 'springerplus_2016_trade_credit_default_risk']
    """
    root = resources.files("alliance") / "data" / "gallery" if folder is None else Path(folder)
    entries = []
    for item in sorted(root.iterdir(), key=lambda p: p.name):
        if not item.name.endswith(".toml"):
            continue
        try:
            data = tomllib.loads(item.read_text(encoding="utf-8"))
            table = data["table"]
            check = str(table["check"])
            game = data.get("game")
            if check not in CHECKS:
                raise ModelFileError(
                    f"gallery entry {item.name}: [table] check is {check!r}; use one of {CHECKS}"
                )
            if check in ("derived", "first-order", "examples") and not isinstance(game, dict):
                raise ModelFileError(
                    f"gallery entry {item.name}: check = {check!r} needs a [game] section "
                    "(players, strategies or variables, payoffs)"
                )
            if check == "examples" and not data.get("example"):
                raise ModelFileError(
                    f"gallery entry {item.name}: check = 'examples' needs [[example]] sections "
                    "(the printed values and numbers of each worked example)"
                )
            if check == "first-order" and not data.get("claim"):
                raise ModelFileError(
                    f"gallery entry {item.name}: check = 'first-order' needs [[claim]] sections "
                    "(the printed derivatives and best responses)"
                )
            entries.append(
                GalleryEntry(
                    key=item.name.removesuffix(".toml"),
                    citation=dict(data["citation"]),
                    text=str(table["text"]),
                    parameters=tuple(str(name) for name in table["parameters"]),
                    populations=int(table.get("populations", len((game or {}).get("players", [])))),
                    check=check,
                    missing=tuple(data["citation"].get("missing", ())),
                    game=dict(game) if isinstance(game, dict) else None,
                    spelling={str(k): str(v) for k, v in table.get("spelling", {}).items()},
                    typos=tuple(
                        {k: str(typo[k]) for k in ("corner", "quantity", "printed", "read_as")}
                        for typo in table.get("typo", [])
                    ),
                    interior=dict(data["interior"]) if "interior" in data else None,
                    not_checked=tuple(str(t) for t in table.get("not_checked", ())),
                    claims=tuple(dict(c) for c in data.get("claim", [])),
                    examples=tuple(dict(x) for x in data.get("example", [])),
                )
            )
        except (KeyError, TypeError, ValueError, tomllib.TOMLDecodeError) as err:
            raise ModelFileError(f"gallery entry {item.name}: {err}") from None
    return entries


def check_entry(entry: GalleryEntry) -> TableCheck:
    """Check one entry's published table, against itself or against the derived table.

    Parameters
    ----------
    entry : GalleryEntry
        The entry.

    Returns
    -------
    TableCheck
        ``check = "consistency"``: one row per pair of corners that differ in one
        population (:func:`~alliance.games.evolutionary.tables.check_consistency`).
        ``check = "derived"``: one row per printed entry compared with the table derived
        from the payoff matrix (:meth:`EvolutionaryGame.check_table`), a printed cell the
        parser refuses (a listed typo) marked ``"unreadable as printed"``, then the rows of
        the printed interior point (is it a rest point; its det, tr, area and derivatives).
        ``check = "first-order"``: one row per printed claim (a derivative, a best
        response). ``check = "examples"``: one row per printed number of a worked example,
        recomputed exactly (rational arithmetic) from the printed model at the example's
        printed values; a claim's ``kind`` says how: ``"value"`` (an expression of the
        parameters, of the players' payoffs and of earlier named results), ``"root"`` (the
        one root of a printed condition ``lhs = rhs`` in ``unknown``), ``"best response"``
        (the player's payoff-maximising value of its variable on ``over = [low, high]``, for
        a payoff piecewise linear in it; ties go to the lower value), ``"probability"``
        (that the example's random variable lies in ``between = [low, high]``) or
        ``"mean"`` (the expectation of an expression, optionally ``given`` a range). A claim
        with ``name`` makes its result usable by later claims of the example; one with
        ``alternative`` (other values: another reading of the example's words) reports
        what those values give, and whether the printed number is that. A whole number printed for a fraction counts as right when it is the
        fraction rounded to the nearest unit, and is named ``"truncated"`` when it is the
        fraction cut off instead; ``at`` sets values for one claim (numbers or expressions of the
        model's names), and a claim without ``printed`` is an unprinted step that only
        defines its ``name``. Checks are cached per entry (they are exact and symbolic, so slow).

    Raises
    ------
    ModelFileError
        An unknown check, a payoff matrix that does not make a game, a listed typo that the
        parser reads as printed, or an unreadable claim.

    Examples
    --------
    >>> check = check_entry({e.key: e for e in gallery()}["complexity_2022_2651538"])
    >>> len(check.rows), len(check.errors)
    (32, 3)
    """
    key = repr(entry)
    if key not in _CHECKED:
        _CHECKED[key] = _check_entry(entry)
    check = _CHECKED[key]
    return TableCheck(check.rows.copy(), check.patterns, check.unchecked)


# Checks already made, by the entry's full repr (a symbolic check can take seconds, and the
# errata page and its tests check the same entries many times).
_CHECKED: dict[str, TableCheck] = {}


def _check_entry(entry: GalleryEntry) -> TableCheck:
    if entry.check == "consistency":
        return check_consistency(entry.text, entry.parameters)
    if entry.check == "first-order":
        return _first_order_check(entry)
    if entry.check == "examples":
        return _examples_check(entry)
    if entry.check != "derived":
        raise ModelFileError(f"gallery entry {entry.key}: unknown check {entry.check!r}")
    aliases = (entry.game or {}).get("aliases")
    ev = entry.evolutionary_game()
    reader = JournalReader(ev.game.symbols, aliases)
    printed = _without_sign_cells(_respell(entry.text, entry.spelling))
    text = printed
    for typo in entry.typos:
        if text.count(typo["printed"]) != 1:
            raise ModelFileError(
                f"gallery entry {entry.key}: typo {typo['printed']!r} must occur once in the table"
            )
        text = text.replace(typo["printed"], typo["read_as"])
    check = ev.check_table(text, aliases=aliases)
    rows = check.rows.copy()
    for typo in entry.typos:
        rows = _mark_typo(entry, typo, printed, rows, reader)
    if entry.interior:
        extra = pd.DataFrame(_interior_rows(entry, ev, reader), columns=rows.columns)
        rows = pd.concat([rows, extra], ignore_index=True)
    return TableCheck(rows, check.patterns, check.unchecked)


# A cell holding only a sign: the paper's sign column, not a value.
_SIGN_ONLY = re.compile(r"^[+\-\u2212\u2013]$")


def _respell(text: str, spelling: dict[str, str]) -> str:
    """The printed text with the entry's spellings replaced, longest first."""
    for printed in sorted(spelling, key=len, reverse=True):
        text = text.replace(printed, spelling[printed])
    return text


def _without_sign_cells(text: str) -> str:
    lines = []
    for line in text.splitlines():
        if "|" in line:
            line = "|".join(c for c in line.split("|") if not _SIGN_ONLY.match(c.strip()))
        lines.append(line)
    return "\n".join(lines)


def _mark_typo(
    entry: GalleryEntry, typo: dict[str, str], printed: str, rows: pd.DataFrame, reader: JournalReader
) -> pd.DataFrame:
    """Mark the row of a cell printed unreadably; refuse a "typo" that the parser reads."""
    corner_key = re.sub(r"\s+", "", typo["corner"])
    cells = read_journal_table(printed).get(corner_key, {})
    cell = cells.get(typo["quantity"])
    if cell is None or typo["printed"] not in cell:
        raise ModelFileError(
            f"gallery entry {entry.key}: typo {typo['printed']!r} is not in the "
            f"{typo['quantity']} cell of corner {typo['corner']}"
        )
    try:
        reader.parse(cell, "printed cell")
    except AllianceError as err:
        why = str(err).split(": ", 1)[-1]
    else:
        raise ModelFileError(
            f"gallery entry {entry.key}: the {typo['quantity']} cell of {typo['corner']} "
            f"({cell!r}) is readable as printed; it is not a typo"
        )
    corner = tuple(int(v) for v in corner_key.strip("()").split(","))
    at = rows.index[(rows["corner"] == corner) & (rows["quantity"] == typo["quantity"])]
    rows = rows.copy()
    for i in at:
        read = "equals the derived value" if rows.at[i, "match"] else str(rows.at[i, "detail"])
        rows.at[i, "match"] = False
        rows.at[i, "diagnosis"] = "unreadable as printed"
        rows.at[i, "published"] = cell
        rows.at[i, "detail"] = (
            f"printed {cell!r} cannot be read ({why}); with {typo['printed']!r} read as "
            f"{typo['read_as']!r} it {read}"
        )
    return rows


def _interior_rows(entry: GalleryEntry, ev: EvolutionaryGame, reader: JournalReader) -> list[dict]:
    """Check a printed interior rest point: is it one, and are its det, tr, derivatives right."""
    spec = entry.interior or {}
    label = str(spec.get("label", "interior"))
    variables = ev.equations().variables
    coordinate_names = tuple(sp.Symbol(f"{v.name}*") for v in variables)

    def parse(text: Any, what: str) -> sp.Expr:
        try:
            return reader.parse(_respell(str(text), entry.spelling), f"{label} {what}")
        except AllianceError as err:
            raise ModelFileError(f"gallery entry {entry.key}: {err}") from None

    try:
        point = [parse(t, f"coordinate {i + 1}") for i, t in enumerate(spec["point"])]
    except (KeyError, TypeError) as err:
        raise ModelFileError(f"gallery entry {entry.key}: [interior] lacks {err}") from None
    if len(point) != len(variables):
        raise ModelFileError(
            f"gallery entry {entry.key}: [interior] point has {len(point)} coordinates; "
            f"the game has {len(variables)} populations"
        )
    at = dict(zip(variables, point))
    rows = []

    def row(quantity: str, published: sp.Expr, derived: sp.Expr, detail: str = "") -> None:
        # ``published`` comes from ``parse`` (the safe reader): file text never reaches here.
        if _same(published, derived):
            rows.append(_interior_row(coordinate_names, label, quantity, published, derived, True,
                                      "match", detail))
            return
        derived = sp.factor(derived)
        if _same(published, -derived):
            diagnosis, why = "sign slip", f"published {published}, derived {derived}"
        else:
            diagnosis = "wrong expression"
            why = f"published {published}, derived {derived}"
            # A ratio says something only when both sides are nonzero ("times 0" says nothing).
            ratio = sp.factor(sp.cancel(published / derived)) if derived != 0 != published else None
            if ratio is not None and not ratio.free_symbols & set(variables):
                why += f"; the published value is the derived one times {ratio}"
        rows.append(_interior_row(coordinate_names, label, quantity, published, derived, False,
                                  diagnosis, (detail + "; " if detail else "") + why))

    for equation, variable in zip(ev.equations().rhs, variables):
        velocity = sp.cancel(equation.subs(at))
        rows.append(_interior_row(
            coordinate_names, label, f"d{variable.name}/dt = 0", 0, velocity, velocity == 0,
            "match" if velocity == 0 else "not a rest point",
            "" if velocity == 0 else f"d{variable.name}/dt at the printed point is {velocity}",
        ))
    jacobian = ev.jacobian().subs(at)
    if "det" in spec:
        # Two populations: the 2 x 2 determinant written out (SymPy's general determinant
        # simplifies as it goes, which is slow on these rational entries).
        det = (jacobian[0, 0] * jacobian[1, 1] - jacobian[0, 1] * jacobian[1, 0]
               if jacobian.shape == (2, 2) else jacobian.det())
        row("det", parse(spec["det"], "det"), sp.cancel(det))
    if "tr" in spec:
        row("tr", parse(spec["tr"], "tr"), sp.cancel(jacobian.trace()))
    # The area of a polygon whose corners are pure profiles and the printed point (papers
    # measure a basin of attraction this way), by the shoelace formula.
    area = None
    if "area" in spec:
        corners = []
        for vertex in spec["area"]["vertices"]:
            if str(vertex) == label:
                corners.append(point)
            else:
                corners.append([sp.Integer(int(v)) for v in str(vertex).strip("()").split(",")])
        if len(variables) != 2 or any(len(c) != 2 for c in corners):
            raise ModelFileError(f"gallery entry {entry.key}: [interior] area needs two populations")
        twice = sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(corners, corners[1:] + corners[:1]))
        # The signed shoelace sum is positive for counterclockwise vertices; the entry states
        # the order of the paper's vertices, since the sign of a symbolic sum is not known.
        orientation = spec["area"].get("orientation")
        if orientation not in ("clockwise", "counterclockwise"):
            raise ModelFileError(
                f"gallery entry {entry.key}: [interior.area] orientation is {orientation!r}; "
                "use 'clockwise' or 'counterclockwise'"
            )
        area = sp.cancel((twice if orientation == "counterclockwise" else -twice) / 2)
        if "printed" in spec["area"]:
            row("area", parse(spec["area"]["printed"], "area"), area)
    for claim in spec.get("derivative", []):
        by = parse(claim["by"], "derivative variable")
        if str(claim["of"]) == "area":
            if area is None:
                raise ModelFileError(f"gallery entry {entry.key}: a derivative of the area needs [interior.area]")
            of, function = "S", area
        else:
            i = int(claim["of"]) - 1
            of, function = str(coordinate_names[i]), point[i]
        published = parse(claim["printed"], f"d{of}/d{by}")
        row(f"d{of}/d{by}", published, sp.diff(function, by))
    return rows


def latex_to_text(tex: str) -> str:
    r"""A formula as typeset in LaTeX, rewritten as journal text for the safe reader.

    Only typography is rewritten: ``\left``/``\right`` and grouping braces go,
    ``\frac{a}{b}`` becomes ``((a)/(b))``, ``\sqrt{x}`` becomes ``sqrt(x)``, ``e^{x}``
    (Euler's number, as papers print it) becomes ``exp(x)``, ``x^{n}`` becomes ``x**(n)``
    and ``S_{r}`` becomes ``S_r``. Names, juxtaposed products and everything else are left
    to :class:`~alliance.games.evolutionary.journal.JournalReader`, which reads the result
    through the safe parser.

    Parameters
    ----------
    tex : str
        The formula's LaTeX source as printed (one side of an equation).

    Returns
    -------
    str
        Plain journal text.

    Raises
    ------
    ModelFileError
        Unbalanced braces, or a LaTeX command this rewriting does not know.

    Examples
    --------
    >>> latex_to_text(r"\sqrt {2S_{r} Ke^{aM} /h_{r} }")
    ' sqrt(2S_r K exp(aM) /h_r )'
    >>> latex_to_text(r"\frac{{Ke^{aM} S_{s} }}{Q}")
    '(((K exp(aM) S_s ))/(Q))'
    """
    out: list[str] = []
    text = re.sub(r"\\(?:left|right)\s*", "", str(tex))
    i = 0
    while i < len(text):
        if text.startswith("\\frac", i):
            num, i = _latex_group(text, i + 5)
            den, i = _latex_group(text, i)
            out.append(f"(({latex_to_text(num)})/({latex_to_text(den)}))")
        elif text.startswith("\\sqrt", i):
            arg, i = _latex_group(text, i + 5)
            out.append(f" sqrt({latex_to_text(arg)})")
        elif text[i] == "\\":
            raise ModelFileError(f"LaTeX {tex!r}: command at {text[i:i + 12]!r} is not read here")
        elif text.startswith("e^", i) and not (i and (text[i - 1].isdigit() or text[i - 1] == "_")):
            arg, i = _latex_group(text, i + 2)
            out.append(f" exp({latex_to_text(arg)})")
        elif text[i] == "^":
            arg, i = _latex_group(text, i + 1)
            out.append(f"**({latex_to_text(arg)})")
        elif text[i] == "_":
            arg, i = _latex_group(text, i + 1)
            out.append("_" + arg.strip())
        elif text[i] == "{":
            arg, i = _latex_group(text, i)
            out.append(f"({latex_to_text(arg)})")
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _latex_group(text: str, i: int) -> tuple[str, int]:
    """The argument starting at ``text[i]`` (a brace group or one character), and its end."""
    while i < len(text) and text[i] == " ":
        i += 1
    if i >= len(text):
        raise ModelFileError(f"LaTeX {text!r}: an argument is missing at the end")
    if text[i] != "{":
        return text[i], i + 1
    depth = 0
    for j in range(i, len(text)):
        depth += {"{": 1, "}": -1}.get(text[j], 0)
        if depth == 0:
            return text[i + 1 : j], j + 1
    raise ModelFileError(f"LaTeX {text!r}: unbalanced braces")


def _first_order_check(entry: GalleryEntry) -> TableCheck:
    """Printed first-order conditions and best responses against the printed payoffs."""
    game = entry.game or {}
    try:
        players = [str(p) for p in game["players"]]
        variables = [str(v) for v in game["variables"]]
        payoff_text = [str(t) for t in game["payoffs"]]
    except KeyError as err:
        raise ModelFileError(f"gallery entry {entry.key}: [game] lacks {err}") from None
    if not len(players) == len(variables) == len(payoff_text):
        raise ModelFileError(
            f"gallery entry {entry.key}: [game] needs one variable and one payoff per player"
        )
    signs = dict(game.get("assumptions") or {})
    names = list(entry.parameters) + variables
    unknown = sorted(set(signs) - set(names))
    if unknown:
        raise ModelFileError(
            f"gallery entry {entry.key}: [game] assumptions name {', '.join(unknown)}, "
            "which are neither parameters nor variables"
        )
    symbols = {name: make_symbol(name, signs.get(name)) for name in names}
    reader = JournalReader(symbols, game.get("aliases"))
    latex = game.get("notation") == "latex"

    def read(text: str, what: str) -> sp.Expr:
        text = _respell(text, entry.spelling)
        try:
            return reader.parse(latex_to_text(text) if latex else text, what)
        except AllianceError as err:
            raise ModelFileError(f"gallery entry {entry.key}: {err}") from None

    payoffs = [read(t, f"payoff of {p}") for p, t in zip(players, payoff_text)]
    rows = []
    for claim in entry.claims:
        try:
            who = players.index(str(claim["player"]))
            label, kind = str(claim["label"]), str(claim["kind"])
            printed = read(str(claim["printed"]), f"claim {label}")
        except (KeyError, ValueError) as err:
            raise ModelFileError(f"gallery entry {entry.key}: claim {claim!r}: {err}") from None
        variable = symbols[variables[who]]
        slope = sp.diff(payoffs[who], variable)
        quantity = f"d(payoff of {players[who]})/d{variable}"
        if kind == "derivative":
            ok = sp.simplify(printed - slope) == 0
            why = "" if ok else f"published {printed}, derived {slope}"
            rows.append(_interior_row((), label, quantity, printed, slope, ok,
                                      "match" if ok else "wrong expression", why))
        elif kind == "best response":
            residual = sp.simplify(slope.subs(variable, printed))
            curvature = sp.simplify(sp.diff(payoffs[who], variable, 2).subs(variable, printed))
            if residual != 0:
                rows.append(_interior_row((), label, f"{variable} of {players[who]}", printed,
                                          sp.Eq(slope, 0), False, "not a best response",
                                          f"the first-order condition is {residual} there, not 0"))
                continue
            if curvature.is_negative:
                ok, how = True, f"a maximum: the second derivative there is {curvature} < 0"
            elif curvature.is_positive:
                ok, how = False, f"a minimum: the second derivative there is {curvature} > 0"
            else:
                ok, how = True, f"the second derivative there, {curvature}, has no sign the check can decide"
            rows.append(_interior_row((), label, f"{variable} of {players[who]}", printed,
                                      sp.Eq(slope, 0), ok, "match" if ok else "not a best response",
                                      f"the first-order condition holds; {how}"))
        else:
            raise ModelFileError(
                f"gallery entry {entry.key}: claim {label} kind is {kind!r}; "
                "use 'derivative' or 'best response'"
            )
    return _claims_table(rows)


def _plain(text: Any) -> str:
    """Printed amounts as the safe reader takes them: no dollar signs, no thousands commas."""
    return re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", str(text).replace("$", ""))


def _printed_number(text: Any, what: str) -> sp.Expr:
    """A number as printed ("$6,000", "50%", "0.2*7,500", "2/3"), exactly, as a rational."""
    cleaned = _plain(text).strip()
    percent = "%" in cleaned
    cleaned = cleaned.replace("%", "")
    value = sp.nsimplify(parse_expression(cleaned, [], field=what), rational=True)
    if not value.is_number:
        raise ModelFileError(f"{what} {text!r} is not a number")
    return value / 100 if percent else value


class _Distribution:
    """The law of an example's random variable: uniform on [low, high], or finitely many points."""

    def __init__(self, spec: dict, variable: sp.Symbol, number) -> None:
        self.variable = variable
        if "uniform" in spec:
            low, high = (number(v) for v in spec["uniform"])
            if not high > low:
                raise ModelFileError(f"uniform distribution on [{low}, {high}] is empty")
            self.uniform: tuple[sp.Expr, sp.Expr] | None = (low, high)
            self.points: list[tuple[sp.Expr, sp.Expr]] = []
        elif "points" in spec:
            self.uniform = None
            self.points = [(number(x), number(q)) for x, q in spec["points"]]
            if sum(q for _, q in self.points) != 1 or any(q < 0 for _, q in self.points):
                raise ModelFileError("distribution points: the probabilities must be nonnegative and sum to 1")
        else:
            raise ModelFileError("distribution needs 'uniform' = [low, high] or 'points' = [[value, probability], ...]")

    def probability(self, low: sp.Expr, high: sp.Expr) -> sp.Expr:
        if self.uniform is not None:
            a, b = self.uniform
            return max(sp.Integer(0), min(high, b) - max(low, a)) / (b - a)
        return sum((q for x, q in self.points if low <= x <= high), sp.Integer(0))

    def mean(self, expr: sp.Expr, low: sp.Expr | None = None, high: sp.Expr | None = None) -> sp.Expr:
        if self.uniform is not None:
            a, b = self.uniform
            a, b = (a if low is None else max(a, low)), (b if high is None else min(b, high))
            if not b > a:
                raise ModelFileError(f"conditional mean on the empty range [{a}, {b}]")
            integral = sp.integrate(sp.piecewise_fold(expr.rewrite(sp.Piecewise)), (self.variable, a, b))
            return sp.nsimplify(integral / (b - a), rational=True)
        kept = [(x, q) for x, q in self.points
                if (low is None or x >= low) and (high is None or x <= high)]
        mass = sum((q for _, q in kept), sp.Integer(0))
        if mass == 0:
            raise ModelFileError("conditional mean on a range of probability 0")
        return sum((q * expr.subs(self.variable, x) for x, q in kept), sp.Integer(0)) / mass


def _best_response(payoff: sp.Expr, variable: sp.Symbol, low: sp.Expr, high: sp.Expr) -> sp.Expr:
    """The maximiser on [low, high] of a payoff piecewise linear in ``variable`` (lowest if tied).

    A piecewise-linear function attains its maximum on an interval at an end or at a kink;
    the kinks are where two arguments of a ``max`` or ``min`` are equal.
    """
    pieces = [payoff.replace(lambda x: isinstance(x, (sp.Max, sp.Min)), lambda x: sp.Integer(0))]
    candidates = {low, high}
    for atom in payoff.atoms(sp.Max, sp.Min):
        pieces += list(atom.args)
        for i, a in enumerate(atom.args):
            for b in atom.args[i + 1:]:
                candidates.update(r for r in sp.solve(sp.Eq(a, b), variable) if r.is_number)
    for piece in pieces:
        if sp.Poly(piece, variable).degree() > 1:
            raise ModelFileError(f"best response: the payoff {payoff} is not piecewise linear in {variable}")
    inside = sorted(c for c in candidates if low <= c <= high)
    values = [payoff.subs(variable, c) for c in inside]
    return inside[values.index(max(values))]


@dataclass
class _ExampleModel:
    """An entry's printed model, as the examples check reads it."""

    entry: GalleryEntry
    symbols: dict[str, sp.Symbol]
    players: list[str]
    variables: list[str]
    player_symbols: dict[str, sp.Symbol]
    payoffs: dict[sp.Symbol, sp.Expr]

    def fail(self, why: str) -> ModelFileError:
        return ModelFileError(f"gallery entry {self.entry.key}: {why}")

    def parse(self, text: Any, what: str, names: dict[str, sp.Symbol]) -> sp.Expr:
        try:
            return parse_expression(_plain(_respell(str(text), self.entry.spelling)), names, field=what)
        except AllianceError as err:
            raise self.fail(str(err)) from None

    def number(self, text: Any, what: str) -> sp.Expr:
        try:
            return _printed_number(text, what)
        except AllianceError as err:
            raise self.fail(str(err)) from None

    def derive(self, claim: dict, label: str, values: dict[sp.Symbol, sp.Expr],
               named: dict[str, sp.Expr], distribution: _Distribution | None) -> sp.Expr:
        """The value of one claim, derived from the model at ``values``."""
        kind, quantity = str(claim["kind"]), str(claim.get("quantity", ""))
        names = {**self.symbols, **{p: self.player_symbols[p] for p in self.players},
                 **{n: sp.Symbol(n) for n in named}}
        known = {**values, **{sp.Symbol(n): v for n, v in named.items()}}

        def value(text: Any, what: str, keep: sp.Symbol | None = None) -> sp.Expr:
            expr = self.parse(text, f"{label} {what}", names).subs(self.payoffs)
            return sp.nsimplify(expr.subs({k: v for k, v in known.items() if k != keep}), rational=True)

        if kind == "value":
            return value(claim["expression"], quantity)
        if kind == "root":
            lhs, _, rhs = str(claim["equation"]).partition("=")
            target = self.symbols[str(claim["unknown"])]
            roots = sp.solve(sp.Eq(value(lhs, "equation", target), value(rhs, "equation", target)), target)
            if len(roots) != 1:
                raise self.fail(f"{label} {quantity}: the condition has {len(roots)} roots, not one")
            return sp.nsimplify(roots[0], rational=True)
        if kind == "best response":
            player = str(claim["player"])
            # The i-th variable is the i-th player's decision; players after them choose nothing.
            if player not in self.players[:len(self.variables)]:
                raise self.fail(f"{label} {quantity}: player {player!r} has no decision variable; "
                                f"those with one: {', '.join(self.players[:len(self.variables)])}")
            variable = self.symbols[self.variables[self.players.index(player)]]
            low, high = (value(v, "range") for v in claim["over"])
            payoff = self.payoffs[self.player_symbols[player]]
            return _best_response(payoff.subs({k: v for k, v in known.items() if k != variable}), variable, low, high)
        if kind not in ("probability", "mean"):
            raise self.fail(f"{label} claim kind is {kind!r}; use 'value', 'root', 'best response', "
                            "'probability' or 'mean'")
        if distribution is None:
            raise self.fail(f"{label} claim {kind!r} needs the example's distribution")
        if kind == "probability":
            low, high = (value(v, "range") for v in claim["between"])
            return distribution.probability(low, high)
        given = claim.get("given")
        low, high = (value(v, "range") for v in given) if given else (None, None)
        return distribution.mean(value(claim["expression"], quantity, distribution.variable), low, high)


def _examples_check(entry: GalleryEntry) -> TableCheck:
    """The printed numbers of an entry's worked examples against its printed model."""
    game = entry.game or {}
    try:
        players = [str(p) for p in game["players"]]
        payoff_text = [str(t) for t in game["payoffs"]]
    except KeyError as err:
        raise ModelFileError(f"gallery entry {entry.key}: [game] lacks {err}") from None
    variables = [str(v) for v in game.get("variables", [])]
    if len(players) != len(payoff_text) or len(variables) > len(players):
        raise ModelFileError(
            f"gallery entry {entry.key}: [game] needs one payoff per player and at most one variable each"
        )
    symbols = {name: make_symbol(name) for name in list(entry.parameters) + variables}
    player_symbols = {p: sp.Symbol(f"payoff_of_{p}") for p in players}
    model = _ExampleModel(entry, symbols, players, variables, player_symbols, {})
    model.payoffs = {player_symbols[p]: model.parse(t, f"payoff of {p}", symbols)
                     for p, t in zip(players, payoff_text)}
    rows = []
    for example in entry.examples:
        label = str(example.get("label", "example"))
        unknown = sorted(set(example.get("values", {})) - set(symbols))
        if unknown:
            raise model.fail(f"{label} values name {', '.join(unknown)}, which are neither "
                             "parameters nor variables")
        base = {symbols[k]: model.number(v, f"{label} value") for k, v in example.get("values", {}).items()}
        distribution = None
        if "distribution" in example:
            spec = dict(example["distribution"])
            try:
                distribution = _Distribution(spec, symbols[str(spec["variable"])],
                                             lambda v, what=f"{label} distribution": model.number(v, what))
            except (KeyError, TypeError, ValueError) as err:  # ModelFileError is a ValueError
                raise model.fail(f"{label} distribution: {err}") from None
        named: dict[str, sp.Expr] = {}
        for claim in example.get("claim", []):
            quantity = str(claim.get("quantity", ""))
            try:
                # A value set at the claim may be a number or an expression of the model's
                # names (t = "e": the borrower shields all earnings).
                at = {symbols[k]: sp.nsimplify(model.parse(v, f"{label} value of {k}", symbols), rational=True)
                      for k, v in claim.get("at", {}).items()}
                derived = model.derive(claim, label, {**base, **at}, named, distribution)
                if "name" in claim:
                    named[str(claim["name"])] = derived
                if "printed" not in claim:
                    if "name" not in claim:
                        raise model.fail(f"{label} claim {quantity!r} has neither printed nor name")
                    continue  # an intermediate step the example does not print
                printed = model.number(claim["printed"], f"{label} printed {quantity}")
                # Another reading of the example's words (an ambiguous unit, say): what it
                # gives, so the reader sees which reading the printed number follows.
                other = {symbols[k]: model.number(v, f"{label} alternative")
                         for k, v in claim.get("alternative", {}).items()}
                again = model.derive(claim, label, {**base, **at, **other}, named, distribution) if other else None
            except KeyError as err:
                raise model.fail(f"{label} claim {quantity!r} lacks or misnames {err}") from None
            ok = bool(sp.simplify(printed - derived) == 0)
            diagnosis, detail = "match", ""
            rounded = sp.floor(derived + sp.Rational(1, 2)) if derived.is_number else None
            if not ok and printed.is_integer and not derived.is_integer and printed == rounded:
                # Papers print whole amounts: a value rounded to the nearest unit is right.
                ok, detail = True, f"rounded: derived {derived} = {float(derived):,.2f}"
            if not ok:
                diagnosis, detail = "wrong value", f"printed {printed}, derived {derived}"
                if printed.is_integer and not derived.is_integer and printed == sp.floor(derived) != rounded:
                    diagnosis = "truncated"
                    detail += f" = {float(derived):,.2f}, which rounds to {rounded}"
            if again is not None:
                reading = ", ".join(f"{k} = {v}" for k, v in claim["alternative"].items())
                if sp.simplify(again - printed) == 0:
                    detail += f"; the printed value is the one derived with {reading}"
                else:
                    detail += ("; " if detail else "") + f"with {reading} instead it would be {again}"
            rows.append(_interior_row((), label, quantity, printed, derived, ok, diagnosis, detail))
    return _claims_table(rows)

def _same(a: sp.Expr, b: sp.Expr) -> bool:
    """Exact equality of two rational expressions; two rational points rule most pairs out fast."""
    difference = a - b
    names = sorted(difference.free_symbols, key=lambda s: s.name)
    for k in (1, 2):
        point = {s: sp.Rational(7 + 3 * i * k, 11 + 5 * k + i) for i, s in enumerate(names)}
        value = difference.subs(point)
        if value.is_number and value.is_finite and value != 0:
            return False
    # Exact: the numerator of the difference over a common denominator expands to zero.
    numerator, _ = sp.fraction(sp.together(difference))
    return sp.expand(numerator) == 0


def _claims_table(rows: list[dict]) -> TableCheck:
    """The check of an entry whose rows are printed claims (rows made by :func:`_interior_row`)."""
    columns = ["corner", "label", "index", "quantity", "published", "derived", "match", "diagnosis",
               "detail"]
    return TableCheck(pd.DataFrame(rows, columns=columns), (), ())


def _interior_row(corner, label, quantity, published, derived, match, diagnosis, detail) -> dict:
    return {"corner": corner, "label": label, "index": None, "quantity": quantity,
            "published": published, "derived": derived, "match": bool(match),
            "diagnosis": diagnosis, "detail": detail}


# The checks whose rows are printed claims (one row each, labelled as the paper labels
# them): what the errata page counts, how a note joins label and quantity, the table header.
_CLAIM_CHECKS = {
    "first-order": (
        "printed equations (first-order conditions and best responses) checked against the "
        "printed payoff functions",
        " ",
        "| equation | entry | printed | derived from the payoffs | finding |",
    ),
    "examples": (
        "printed numbers of the worked examples recomputed from the paper's model at the "
        "examples' printed values",
        ", ",
        "| example | quantity | printed | derived from the model | finding |",
    ),
}


def errata_markdown(entries: Sequence[GalleryEntry] | None = None) -> str:
    """The errata page: every gallery table checked, each discrepancy listed.

    Parameters
    ----------
    entries : sequence of GalleryEntry, optional
        The entries to check (default: the shipped gallery, :func:`gallery`).

    Returns
    -------
    str
        Markdown, the content of ``docs/errata.md``.

    Examples
    --------
    >>> errata_markdown().splitlines()[0]
    '# Errata found in published stability tables'
    """
    entries = gallery() if entries is None else list(entries)
    checks = {entry.check for entry in entries}
    lines = [
        "# Errata found in published stability tables",
        "",
        "Generated by `python -m alliance.games.evolutionary.gallery docs/errata.md` from the",
        "gallery in `alliance/data/gallery/`; `tests/games/test_evolutionary_gallery.py` fails",
        "when this page and the checks disagree. Each table is transcribed as printed; only",
        "what was read is used (fields that were not visible are marked as such).",
        "",
    ]
    if "consistency" in checks:
        lines += [
            "**Check used.** With two strategies per population, the eigenvalue of population *i*",
            "at a corner is its payoff gain from switching there, so at two corners that differ only",
            "in population *i* the two eigenvalues are opposite (Friedman 1991). A table whose *i*-th",
            "column is population *i*'s eigenvalue must satisfy this for every such pair; a pair",
            "that does not holds at least one wrong entry.",
            "",
        ]
    if "derived" in checks:
        lines += [
            "**Check used when the payoff matrix was read.** The toolkit derives the replicator",
            "dynamics from the printed payoffs, computes every corner's eigenvalues and verdict, and",
            "compares each printed entry with them as an expression (a sign slip, an entry of",
            "another corner or column, a wrong expression or a wrong verdict is named).",
            "",
        ]
    if "first-order" in checks:
        lines += [
            "**Check used for a game with continuous strategies.** The toolkit reads the printed",
            "payoff functions, differentiates each player's payoff by its own decision variable, and",
            "compares each printed first-order condition with the derivative as an expression; a",
            "printed best response must make that derivative vanish, and its second derivative",
            "there must not be positive (a minimum is not a best response).",
            "",
        ]
    if "examples" in checks:
        lines += [
            "**Check used for worked numerical examples.** The toolkit reads the printed model (the",
            "players' payoffs and the printed conditions), puts in each example's printed values and",
            "recomputes each number the example prints in exact rational arithmetic (those it does",
            "not are listed under \"not checked\"): a value, the root of a printed condition, a best",
            "response (for a payoff piecewise linear in the decision), a probability or an",
            "expectation over the example's printed distribution.",
            "",
        ]
    for entry in entries:
        check = check_entry(entry)
        bad = check.errors
        lines += [f"## {entry.title}", "", entry.reference(), ""]
        for url in entry.citation.get("urls", []):
            lines.append(f"- read at <{url}>")
        for item in entry.missing:
            lines.append(f"- not read: {item}")
        if entry.spelling:
            lines.append(
                "- spellings read as: "
                + ", ".join(f"`{k}` as `{v}`" for k, v in entry.spelling.items())
            )
        for item in entry.not_checked:
            lines.append(f"- not checked: {item}")
        lines.append("")
        if entry.check == "derived":
            interior = f" and the printed interior point {entry.interior.get('label', 'interior')}" if entry.interior else ""
            lines += [
                f"{len(check.rows)} printed entries (the corners' table{interior}) checked against "
                f"what the toolkit derives from the payoff matrix; {len(check.rows) - len(bad)} "
                f"agree, {len(bad)} do not.",
                "",
            ]
            lines += [f"- pattern: {pattern}" for pattern in check.patterns]
            if check.unchecked:
                lines.append(
                    "- corners the printed table leaves out: "
                    + ", ".join(point_text(c) for c in check.unchecked)
                )
            if check.patterns or check.unchecked:
                lines.append("")
            header = "| corner | entry | printed | derived from the payoffs | finding |"
        elif entry.check in _CLAIM_CHECKS:
            what, separator, header = _CLAIM_CHECKS[entry.check]
            lines += [
                f"{len(check.rows)} {what}; {len(check.rows) - len(bad)} agree, {len(bad)} do not.",
                "",
            ]
            # Notes on rows that agree (a rounding, another reading); those that do not are tabled.
            notes = [f"- {r.label}{separator}{r.quantity}: {r.detail}"
                     for r in check.rows.itertuples() if r.match and r.detail]
            lines += notes + ([""] if notes else [])
        else:
            lines += [
                f"{len(check.rows)} pairs of corners checked; {len(check.rows) - len(bad)} consistent, "
                f"{len(bad)} inconsistent.",
                "",
            ]
            header = "| corner | entry | printed | should be (from its partner) | finding |"
        if len(bad):
            lines += [header, "|---|---|---|---|---|"]
            for r in bad.itertuples():
                where = r.label if entry.check in _CLAIM_CHECKS else point_text(r.corner)
                lines.append(
                    f"| {where} | {r.quantity} | `{r.published}` | `{r.derived}` | "
                    f"{str(r.detail).replace('|', '/')} |"
                )
            lines.append("")
    lines += ["## Papers read in part and not in the gallery", ""]
    for paper, why in NOT_IN_GALLERY:
        lines.append(f"- {paper}: {why}.")
    held = len(entries)
    lines += ["", f"## Searches run for {searches_heading()}", ""]
    for name, searches in SEARCH_PASSES:
        lines += [f"### The {name} pass", ""]
        lines += [f"- {corpus}: {query}" for corpus, query in searches]
        lines.append("")
    if held < TARGET:
        lines += [
            f"The gallery holds {held} of the {TARGET} papers the project aims for: the stored",
            "public copies showed a credit game's table or equilibrium conditions in full, with its",
            f"source identified, for {held} papers only; the {len(NOT_IN_GALLERY)} items above say why",
            "each other paper is left out.",
            "",
        ]
    return "\n".join(lines)


def searches_heading() -> str:
    """The passes whose searches are recorded, in words, from :data:`SEARCH_PASSES`.

    Returns
    -------
    str
        For instance ``"the second, third and fourth passes"``.

    Examples
    --------
    >>> searches_heading().startswith("the second, third")
    True
    """
    names = [name for name, _ in SEARCH_PASSES]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"the {listed} pass" + ("es" if len(names) > 1 else "")


def main(argv: list[str] | None = None) -> int:
    """Write the errata page to the path given (default ``docs/errata.md``)."""
    argv = sys.argv[1:] if argv is None else argv
    path = Path(argv[0] if argv else "docs/errata.md")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(errata_markdown(), encoding="utf-8")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
