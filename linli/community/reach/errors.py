"""The one error type of the reachability engine, bilingual so every surface can show it."""

from __future__ import annotations

# code -> (Chinese, English) message templates; `{detail}` is filled by the raiser.
MESSAGES: dict[str, tuple[str, str]] = {
    "osm_missing": ("找不到 OSM 文件：{detail}", "OSM file not found: {detail}"),
    "osm_unreadable": (
        "无法读取 OSM 文件（文件损坏或格式不对）：{detail}",
        "Cannot read the OSM file (corrupt or wrong format): {detail}",
    ),
    "osm_empty": ("OSM 文件中没有任何数据：{detail}", "The OSM file contains no data: {detail}"),
    "no_walkable_ways": (
        "OSM 文件中没有可步行的道路：{detail}",
        "The OSM file has no walkable ways: {detail}",
    ),
    "point_off_network": (
        "该位置附近没有可步行的道路：{detail}",
        "No walkable way near this point: {detail}",
    ),
    "bad_argument": ("参数错误：{detail}", "Bad argument: {detail}"),
    "output_unwritable": ("无法写入输出文件：{detail}", "Cannot write the output file: {detail}"),
}


class ReachError(Exception):
    """A failure the caller can explain to a person: `.code`, `.message_zh`, `.message_en`."""

    def __init__(self, code: str, detail: str = "") -> None:
        zh, en = MESSAGES.get(code, ("{detail}", "{detail}"))
        self.code = code
        self.detail = detail
        self.message_zh = zh.format(detail=detail)
        self.message_en = en.format(detail=detail)
        super().__init__(f"{code}: {self.message_en}")
