package dev.parley.gateway.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.parley.common.problem.ProblemCode;
import dev.parley.common.problem.ProblemException;
import dev.parley.gateway.client.Backends;
import dev.parley.gateway.client.BotParse;
import dev.parley.gateway.rest.BotParseResource;
import dev.parley.gateway.security.Caller;

/** Shows what a bot's NLU makes of a text, within the caller's tenant. */
@ApplicationScoped
public class BotParseService {

    /** Managing bots: their definitions and NLU. */
    public static final String BOTS_MANAGE = "bots:manage";

    @Inject
    Backends backends;

    public BotParse.Result parse(Caller caller, String botId, BotParseResource.ParseText request) {
        if (!caller.may(BOTS_MANAGE)) {
            throw new ProblemException(ProblemCode.FORBIDDEN, "This credential lacks the scope " + BOTS_MANAGE);
        }
        return backends.parse(caller.tenantId(), botId, new BotParse.Request(request.text(), request.version()));
    }
}
