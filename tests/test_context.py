"""engine/context.py: what the checks share about one report."""

from __future__ import annotations

from checker.engine.context import DOCUMENT, Context
from checker.engine.recognize import classify
from checker.skeleton.parser import parse

# a 文件 header above a title that names a part's keywords (工作情况: the measures part)
HEADED = ("某市司法局文件\n某市司法局2024年度工作情况\n一、存在的不足\n执法不够规范。\n"
          "二、下一年度工作安排\n继续推进。\n")


def _context(text, registry):
    report = parse(text)
    pack = registry.pack_for(report)
    return Context(report, pack, classify(report, pack), registry.screen)


def test_the_title_is_never_a_loose_heading_even_below_a_file_header(registry):
    ctx = _context(HEADED, registry)
    texts = ctx.texts(DOCUMENT, include_headings=False)
    assert [t.text for t in texts[:2]] == ["某市司法局文件", "某市司法局2024年度工作情况"]
    assert texts[1] is ctx.title_text
    # the title (not the 文件 header, which the old skip of the first text passed over) is left out
    assert ctx.loose_headings("measures") == []


def test_the_document_texts_are_in_reading_order_with_the_frame_lines(registry):
    text = ("某市司法局文件\n某司发〔2024〕3号\n某市司法局2024年度法治政府建设情况报告\n市政府：\n现将情况报告如下：\n"
            "一、主要举措和成效\n（一）加强领导。抓实考核。\n1.完善制度\n二、存在的不足\n执法不够规范。\n"
            "特此报告。\n某市司法局\n2025年1月5日\n")
    ctx = _context(text, registry)
    lines = [t.places[0].no for t in ctx.texts(DOCUMENT)]
    assert lines == sorted(lines) and lines[0] == 1 and lines[-1] == 13
    without = ctx.texts(DOCUMENT, include_headings=False)
    tops = {id(s.heading.title) for s in ctx.report.sections}
    assert [id(t) for t in without] == [id(t) for t in ctx.texts(DOCUMENT) if id(t) not in tops]
