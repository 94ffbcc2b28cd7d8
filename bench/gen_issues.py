#!/usr/bin/python3
"""gen_issues.py OUTDIR N [SEED]: writes N synthetic back issues of the
bulletin, OUTDIR/YYYY-MM/issue.md, in the issue format (docs/format.md).

The text is the reference issue's own sentences, reshuffled, so the
typography meets the same material as a real issue: Chinese with mixed
Latin and digits, 《》“”（）, bold runs, source links, region tags.  Issues
vary from a few pages to about sixty: 3 to 9 sections, 2 to 12 entries
each, 1 to 4 paragraphs an entry, long titles that wrap in the TOC, and
both layouts (epoint, print).  The same SEED gives the same issues."""
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REF = os.path.join(HERE, "..", "issues", "2022-08", "issue.md")
REGIONS = ["北京", "上海", "江苏", "浙江", "广东", "山东", "四川&重庆", "云南", "贵州", "英国", "美国"]
SECTIONS = ["要闻速递", "政策广角", "创新实践", "新点解读", "热点前瞻", "海外资讯", "数据治理",
            "营商环境", "基层治理"]
LATIN = ["API", "App", "PC", "AI", "CRM", "Salesforce", "My Smart City", "5G", "IPv6", "SaaS"]


def sentences():
    body = open(REF, encoding="utf-8").read().split("---", 2)[2]
    paras = [p for p in re.split(r"\n\s*\n", body) if p and not p.startswith("#")]
    out = []
    for p in paras:
        out += [s for s in re.split(r"(?<=[。！？])", p.replace("\n", "")) if len(s) > 8
                and s.count("**") % 2 == 0]
    return out


def titles():
    body = open(REF, encoding="utf-8").read()
    return [re.sub(r"\[[^]]*\]\([^)]*\)", "", t).strip()
            for t in re.findall(r"^## (.*)$", body, re.M)]


def issue(rng, year, month, number, pool, heads):
    lines = ["---", f"year: {year}", f"month: {month}", f"number: {number}",
             f"date: {year}-{month:02d}-28"]
    if rng.random() < 0.5:
        lines.append("layout: print")
    lines += ["---", "", "# 本期导读 {-}", "", "".join(rng.sample(pool, 3)), ""]
    # small (about 5 pages), medium and large (about 60) issues
    size = rng.choice([(2, 3, 1, 3), (3, 6, 2, 8), (6, 9, 6, 12)])
    for s in rng.sample(SECTIONS, rng.randint(size[0], size[1])):
        lines += [f"# {s}", ""]
        for _ in range(rng.randint(size[2], size[3])):
            t = re.sub(r"^【[^】]*】", "", rng.choice(heads))
            if rng.random() < 0.6:
                t = f"【{rng.choice(REGIONS)}】" + t
            if rng.random() < 0.3:  # a long title that wraps
                t += "，" + rng.choice(heads).split("》")[-1][:30] + rng.choice(LATIN) + " 平台建设"
            link = "[政策原文](https://www.gov.cn/zhengce/%d.htm)" % rng.randint(1000, 9999) \
                if rng.random() < 0.5 else ""
            lines += [f"## {t}{link}", ""]
            for _ in range(rng.randint(1, 4)):
                ss = rng.sample(pool, rng.randint(2, 7))
                if rng.random() < 0.3:
                    k = rng.randrange(len(ss))
                    ss[k] = "**" + ss[k].rstrip("。！？") + "**" + ss[k][-1]
                if rng.random() < 0.3:
                    ss.append(f"该平台支持 {rng.choice(LATIN)} 接入，服务 {rng.randint(2, 999)} 万用户。")
                lines += ["".join(ss), ""]
    return "\n".join(lines)


def main():
    out, n = sys.argv[1], int(sys.argv[2])
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    pool, heads = sentences(), titles()
    for i in range(n):
        year, month = 2010 + i // 12, i % 12 + 1
        d = os.path.join(out, f"{year}-{month:02d}")
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "issue.md"), "w", encoding="utf-8") as f:
            f.write(issue(rng, year, month, month, pool, heads))


main()
