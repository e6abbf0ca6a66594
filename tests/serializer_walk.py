"""DRF's own field walk, for tests that compare a hand-built representation with what a serializer makes."""

from rest_framework import serializers as drf


def generic_representation(serializer_class, instance):
    """What DRF's own field walk (Serializer.to_representation) makes of `instance`, at every level."""
    return _walk(serializer_class(), instance)


def _walk(serializer, instance):
    representation = {}
    for field in serializer._readable_fields:
        attribute = field.get_attribute(instance)
        if attribute is None:
            representation[field.field_name] = None
        elif isinstance(field, drf.ListSerializer):
            representation[field.field_name] = [_walk(field.child, item) for item in attribute]
        elif isinstance(field, drf.Serializer):
            representation[field.field_name] = _walk(field, attribute)
        else:
            representation[field.field_name] = field.to_representation(attribute)
    return representation
