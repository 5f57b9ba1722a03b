from powercat.ingest.columns import field_for, map_columns


def test_standard_published_header():
    headers = ["序号", "事项名称", "子项\n名称", "权力类型", "实施依据", "行使主体", "承办机构", "实施层级及权限",
               "实施层级及权限", "部门职责", "责任事项内容", "责任事项依据", "追责对象范围", "追责情形", "备注",
               "责任事项依据", "追责对象范围"]
    cols = map_columns(headers)
    assert cols == {
        "seq": 0, "name": 1, "sub_name": 2, "category": 3, "basis": 4, "agency": 5, "office": 6, "level": 7,
        "department_duty": 9, "duty": 10, "duty_basis": 11, "accountability_scope": 12, "accountability": 13,
        "remark": 14,
    }  # repeated headers keep the leftmost column


def test_fire_service_header_exact_beats_containment():
    headers = ["序  号", "所属行政区划", "隶属机构", "项目", "职权类型", "职权编码", "实施依据", "实施对象", "申请条件",
               "申请材料", "承办机构", "公开类型", "办理数量", "法定期限（天/日）", "承诺期限（天/日）",
               "收费（征收）依据和标准", "是否有涉及中介服务项目", "责任事项", "责任主体", "责任事项的依据"]
    cols = map_columns(headers)
    assert cols["name"] == 3  # 项目, not 是否有涉及中介服务项目
    assert cols["category"] == 4 and cols["code"] == 5
    assert cols["statutory_limit"] == 13 and cols["promised_limit"] == 14
    assert cols["fee"] == 15 and cols["disclosure"] == 11 and cols["conditions"] == 8
    assert cols["agency"] == 18 and cols["duty_basis"] == 19


def test_containment_for_unseen_variants():
    assert field_for("权力事项名称（主项）") == ("name", False)
    assert field_for("法定办结时限(工作日)") == ("statutory_limit", False)
    assert field_for("设定依据") == ("basis", True)
    assert field_for("依据")[0] == "basis"
    assert field_for("责任事项依据")[0] == "duty_basis"
    assert field_for("随便写的列")[0] is None


def test_step_table():
    cols = map_columns(["职权编码", "环节编号", "环节名称", "环节类型", "承办岗位", "办理时限", "下一环节", "监督制约", "公开要求"], "step")
    assert list(cols) == ["code", "step_id", "name", "kind", "post", "limit", "next", "control", "disclosure"]


def test_a_procedure_column_is_its_own_field_beside_the_duty():
    for header in ("办理流程", "办理程序", "工作流程", "运行流程", "流程", "运行流程图"):
        assert field_for(header)[0] == "procedure", header
    cols = map_columns(["序号", "事项名称", "权力类型", "办理流程", "责任事项", "流程图"])
    assert cols["procedure"] == 3 and cols["duty"] == 4
    assert field_for("流程图")[0] is None  # a 2-character alias is matched exactly only
