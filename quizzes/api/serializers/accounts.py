"""Signing up and signing in: credentials in, a token out."""

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class CredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False, style={"input_type": "password"})


class RegisterSerializer(CredentialsSerializer):
    def validate_username(self, username):
        user_model = get_user_model()
        for validator in user_model._meta.get_field("username").validators:
            try:
                validator(username)
            except DjangoValidationError as error:
                raise serializers.ValidationError(list(error.messages)) from error
        if user_model.objects.filter(username__iexact=username).exists():
            raise serializers.ValidationError(_("This username is taken."))
        return username

    def validate(self, attrs):
        candidate = get_user_model()(username=attrs["username"])
        try:
            password_validation.validate_password(attrs["password"], user=candidate)
        except DjangoValidationError as error:
            raise serializers.ValidationError({"password": list(error.messages)}) from error
        return attrs


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)
