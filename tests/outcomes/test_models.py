"""No student's identity in the stored tables: the fields of the app's models."""

from nms.outcomes.models import LowResultsDecision, StudentResult

PERSONAL = ("fio", "name", "surname", "snils", "birth", "student", "pupil", "passport", "phone")


def test_no_column_for_a_students_identity():
    for model in (StudentResult, LowResultsDecision):
        for field in model._meta.get_fields():
            name = field.name.lower()
            assert not any(word in name for word in PERSONAL), f"{model.__name__}.{field.name}"
    people = [
        f.name
        for f in StudentResult._meta.get_fields()
        if f.is_relation and f.related_model and f.related_model._meta.label == "registry.Person"
    ]
    assert people == ["teacher"]  # the only person is the teacher
    texts = [
        (f.name, f.max_length)
        for f in StudentResult._meta.concrete_fields
        if f.get_internal_type() in ("CharField", "TextField")
    ]
    assert texts == [("kind", 10), ("group_label", 20)]  # a label, not a list of pupils
