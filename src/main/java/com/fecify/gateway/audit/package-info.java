@NullMarked
package com.fecify.gateway.audit;

import org.jspecify.annotations.NullMarked;
