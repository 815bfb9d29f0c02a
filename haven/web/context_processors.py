from haven.cases.access import access_profile


def haven(request):
    user = getattr(request, "user", None)
    profile = access_profile(user) if user is not None else None
    return {
        "haven_profile": profile,
        "haven_is_analyst_only": bool(profile and profile.is_analyst_only),
    }
