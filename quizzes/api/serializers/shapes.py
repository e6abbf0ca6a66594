"""The base of the output serializers of plain shapes (the frozen values selectors return)."""

from rest_framework import serializers


# An output serializer of a plain shape whose fields each read the attribute of their name.
# (A comment, not a docstring: drf-spectacular would describe every subclass's component with it.)
#
# A submitted attempt's review holds several hundred values. DRF's generic walk copies every
# nested serializer's declared fields for each response and resolves each value through lookups
# meant for models, dotted sources and callables; that was most of a submit's serializing time.
# Here the declared fields are bound once per class and each value is read directly and converted
# by its declared field, so the output and the OpenAPI description stay the declared ones
# (tests/test_api_serializers.py compares the output with DRF's walk).
class ShapeSerializer(serializers.Serializer):
    def to_representation(self, instance):
        representation = {}
        for name, field in self.plain_fields():
            value = getattr(instance, name)
            representation[name] = None if value is None else field.to_representation(value)
        return representation

    @classmethod
    def plain_fields(cls):
        """(name, bound field) of every readable field, bound once per class and then only read."""
        fields = cls.__dict__.get("_plain_fields")
        if fields is None:
            fields = tuple((field.field_name, field) for field in cls()._readable_fields)
            if any(field.source != name for name, field in fields):
                raise TypeError(f"{cls.__name__}: every field must read the attribute of its name.")
            cls._plain_fields = fields
        return fields
