package zoneplane.controlplane.token;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import zoneplane.controlplane.api.Envelope;
import zoneplane.controlplane.api.PageRequest;
import zoneplane.controlplane.api.ResultInfo;
import zoneplane.controlplane.auth.AccountAccess;
import zoneplane.controlplane.auth.Caller;
import zoneplane.controlplane.auth.Permission;

/**
 * An account's API tokens: create (the secret is in that answer only), list, read, revoke. For the
 * operator and for {@code account:admin} tokens of the account; another account's ids answer 404.
 */
@RestController
@Tag(name = "API tokens", description = "Bearer tokens of an account (needs account:admin)")
class ApiTokenController {

    @Schema(name = "TokenCreate")
    record TokenCreate(
            @Schema(example = "ci deploy", maxLength = 120) String name,
            @Schema(example = "[\"zone_settings:read\", \"zone_settings:edit\"]",
                    description = "zone:read, zone:edit, zone_settings:read, zone_settings:edit, account:admin, analytics:read, logs:read, logs:edit") List<String> permissions,
            @Schema(description = "zone ids the permissions are limited to; leave out for the whole account") List<String> zones,
            @Schema(name = "expires_on", example = "2027-01-01T00:00:00Z") String expiresOn) {}

    private final AccountAccess access;
    private final ApiTokenService tokens;

    ApiTokenController(AccountAccess access, ApiTokenService tokens) {
        this.access = access;
        this.tokens = tokens;
    }

    @PostMapping("/accounts/{account_id}/tokens")
    @Operation(summary = "Create an API token (its value is shown in this answer only)",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(
                    content = @Content(schema = @Schema(implementation = TokenCreate.class))))
    Envelope<CreatedToken> create(@PathVariable("account_id") String accountId, @RequestBody JsonNode body, Caller caller) {
        access.require(caller, accountId, Permission.ACCOUNT_ADMIN);
        return Envelope.of(tokens.create(accountId, TokenRequest.parse(body, Instant.now())));
    }

    @GetMapping("/accounts/{account_id}/tokens")
    @Operation(summary = "List the account's API tokens (never their values)")
    Envelope<List<TokenView>> list(@PathVariable("account_id") String accountId,
            @RequestParam(name = "page", required = false) String page,
            @RequestParam(name = "per_page", required = false) String perPage,
            Caller caller) {
        access.require(caller, accountId, Permission.ACCOUNT_ADMIN);
        PageRequest request = PageRequest.parse(page, perPage);
        List<TokenView> result = tokens.list(accountId, request);
        return Envelope.list(result, ResultInfo.of(request, result.size(), tokens.count(accountId)));
    }

    @GetMapping("/accounts/{account_id}/tokens/{token_id}")
    @Operation(summary = "API token details (never its value)")
    Envelope<TokenView> get(@PathVariable("account_id") String accountId, @PathVariable("token_id") String tokenId,
            Caller caller) {
        access.require(caller, accountId, Permission.ACCOUNT_ADMIN);
        return Envelope.of(tokens.get(accountId, tokenId));
    }

    @DeleteMapping("/accounts/{account_id}/tokens/{token_id}")
    @Operation(summary = "Revoke an API token (effective on the next request; idempotent)")
    Envelope<TokenView> revoke(@PathVariable("account_id") String accountId, @PathVariable("token_id") String tokenId,
            Caller caller) {
        access.require(caller, accountId, Permission.ACCOUNT_ADMIN);
        return Envelope.of(tokens.revoke(accountId, tokenId));
    }
}
