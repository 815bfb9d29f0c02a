from haven.cases.access import access_profile


def haven(request):
    user = getattr(request, "user", None)
    profile = access_profile(user) if user is not None else None
    return {
        "haven_profile": profile,
        "haven_is_analyst_only": bool(profile and profile.is_analyst_only),
        # The organization whose members the user menu links to (an administrator of several finds the others
        # on the account page).
        "haven_admin_org_id": min(profile.admin_org_ids) if profile and profile.admin_org_ids else None,
    }
